import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIPPING_NAMES, clippingFunction, type ClippingNameOrNone } from '../clipping/functions';
import type { ClippingStyle } from '../clipping/plan';
import { fillKeyedNormals, logUniformF32, sinCos2PiF32 } from '../random/keyedNormals';
import { denseRule } from '../dp/rules/dense';
import { conv2dSqNorms as conv2dOpsSqNorms, unfoldPatches } from '../dp/rules/conv2d';
import { Conv2D } from '../model/layers/conv2d';
import { clipFactorsKernel } from './clip_factors';
import { conv2dPerSampleGrads } from './conv2d_per_sample_grads';
import { conv2dSqNorms } from './conv2d_sq_norms';
import { denseSqNorms } from './dense_sq_norms';
import { KERNEL_NAMES } from './kernel_names';
import { noisyGradient } from './noisy_update';
import { registerCpuKernels } from './register_all_kernels';
import { CONV_SHAPES, DENSE_SHAPES, kernelCases, maxRelErr } from './testing/cases';
import { correlation, erf, normalFit } from './testing/stats';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCpuKernels();
});

const TOL = 1e-5;

function rand(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.randomNormal(shape, 0, scale, 'float32', seed);
}

describe('CPU twins against the TF.js-ops reference', () => {
  it('registers a CPU twin for every kernel name', () => {
    for (const name of KERNEL_NAMES) expect(tf.getKernel(name, 'cpu'), name).toBeDefined();
  });

  it.each(DENSE_SHAPES.filter(([b]) => b <= 257))('dense per-sample squared norms B=%i Din=%i Dout=%i', (b, din, dout) => {
    const a = rand([b, din], 1) as tf.Tensor2D;
    const g = rand([b, dout], 2, 0.1) as tf.Tensor2D;
    const got = denseSqNorms(a, g);
    const ref = tf.addN(denseRule.sqNorms(null as never, a, g));
    expect(got.shape).toEqual([b]);
    expect(maxRelErr(got.dataSync(), ref.dataSync())).toBeLessThan(TOL);
    tf.dispose([a, g, got, ref]);
  });

  /** A Conv2D layer of one CONV_SHAPES entry with random x and dy of its geometry. */
  function convInputs(c: (typeof CONV_SHAPES)[number]) {
    const layer = new Conv2D('c', [c.h, c.w, c.cin], c.cout, c.k, c.stride, c.padding, 7);
    const [ho, wo] = layer.outputShape;
    const x = rand([c.b, c.h, c.w, c.cin], 3) as tf.Tensor4D;
    const dy = rand([c.b, ho, wo, c.cout], 4, 0.1) as tf.Tensor4D;
    return { layer, ho, wo, x, dy };
  }

  it.each(CONV_SHAPES.filter((c) => c.b <= 6))('conv2d per-sample squared norms %o', (c) => {
    const { layer, x, dy } = convInputs(c);
    const got = conv2dSqNorms(x, dy, c.k, c.stride, c.padding);
    const ref = tf.addN(conv2dOpsSqNorms(layer, x, dy, 'instantiate'));
    expect(maxRelErr(got.dataSync(), ref.dataSync())).toBeLessThan(TOL);
    tf.dispose([x, dy, got, ref]);
    layer.dispose();
  });

  it.each(CONV_SHAPES.filter((c) => c.b <= 6))('conv2d per-sample gradients %o', (c) => {
    const { layer, ho, wo, x, dy } = convInputs(c);
    const got = conv2dPerSampleGrads(x, dy, c.k, c.stride, c.padding);
    // Reference: U_iᵀG_i from the identity-filter unfolding, [B, kkCin, Cout] flattened, then Σ_t G_i,t.
    const ref = tf.tidy(() => {
      const g3 = tf.reshape(dy, [c.b, ho * wo, c.cout]) as tf.Tensor3D;
      const w = tf.reshape(tf.matMul(unfoldPatches(layer, x), g3, true, false), [c.b, -1]);
      return tf.concat([w, tf.sum(g3, 1)], 1);
    });
    expect(got.shape).toEqual([c.b, c.k * c.k * c.cin * c.cout + c.cout]);
    expect(maxRelErr(got.dataSync(), ref.dataSync())).toBeLessThan(TOL);
    tf.dispose([x, dy, got, ref]);
    layer.dispose();
  });

  it('rejects a dy that does not match the convolution geometry', () => {
    const x = tf.zeros([2, 8, 8, 1]) as tf.Tensor4D;
    const dy = tf.zeros([2, 3, 3, 4]) as tf.Tensor4D;
    expect(() => conv2dSqNorms(x, dy, 3, 2, 'same')).toThrow(/conv2dSqNorms: dy has shape/);
    expect(() => conv2dPerSampleGrads(x, dy, 3, 2, 'same')).toThrow(/conv2dPerSampleGrads: dy has shape/);
    tf.dispose([x, dy]);
  });

  const fns: ClippingNameOrNone[] = ['none', ...CLIPPING_NAMES];
  const styles: ClippingStyle[] = ['flat', 'layer-wise'];
  it.each(fns.flatMap((fn) => styles.map((style) => [fn, style] as const)))('clip factors %s %s with masked rows', (fn, style) => {
    const k = 3;
    const b = 37;
    const sq = tf.tidy(() => tf.square(rand([k, b], 5, 2))) as tf.Tensor2D;
    // Include an exact zero norm (auto-v's 0 case) and a norm exactly at the bound.
    const sqv = sq.arraySync();
    sqv[0][1] = sqv[1][1] = sqv[2][1] = 0;
    const sqt = tf.tensor2d(sqv);
    const mask = tf.tensor1d(
      Array.from({ length: b }, (_, i) => (i % 4 === 3 ? 0 : 1)),
      'float32',
    );
    const bound = style === 'flat' ? 1.5 : 1.5 / Math.sqrt(k);
    const got = clipFactorsKernel(sqt, mask, fn, style, bound, 0.01);
    const ref = tf.tidy(() =>
      style === 'flat'
        ? tf.mul(clippingFunction(fn).factorOps(tf, tf.sqrt(tf.sum(sqt, 0)), bound, 0.01), mask)
        : tf.mul(clippingFunction(fn).factorOps(tf, tf.sqrt(sqt), bound, 0.01), tf.expandDims(mask, 0)),
    );
    expect(got.shape).toEqual(ref.shape);
    expect(maxRelErr(got.dataSync(), ref.dataSync())).toBeLessThan(TOL);
    tf.dispose([sq, sqt, mask, got, ref]);
  });

  it('noise pass (rule grad, through noisyGradient) is (sum + std·n)/divisor with n the keyed Philox stream', () => {
    const n = 1001;
    const sum = rand([n], 6);
    const key = { key0: 99, key1: 3, step: 12 };
    const got = noisyGradient(sum, key, 2, 0.7, 50);
    const z = new Float32Array(n);
    fillKeyedNormals(z, key, 2);
    const s = sum.dataSync();
    const ref = Float32Array.from(z, (v, i) => (s[i] + 0.7 * v) / 50);
    expect(maxRelErr(got.dataSync(), ref)).toBeLessThan(TOL);
    tf.dispose([sum, got]);
  });

  it('every shared case runs on the CPU twins and gives finite output', () => {
    for (const c of kernelCases().filter((k) => !k.name.includes('B=1024') && !k.name.includes('B=64 28x28'))) {
      const out = c.run();
      const v = out.dataSync();
      expect(v.every(Number.isFinite), c.name).toBe(true);
      out.dispose();
    }
  });
});

describe('keyed Philox normals', () => {
  it('float32 log/cos/sin polynomials are accurate over the whole uniform range', () => {
    let worstLog = 0;
    let worstTrig = 0;
    for (let k = 0; k < 1 << 23; k += 37) {
      const w = (k << 9) >>> 0;
      const u = (k + 0.5) / 8388608;
      worstLog = Math.max(worstLog, Math.abs(logUniformF32(w) - Math.log(u)) / Math.max(Math.abs(Math.log(u)), 1e-30));
      const [c, s] = sinCos2PiF32(w);
      worstTrig = Math.max(worstTrig, Math.abs(c - Math.cos(2 * Math.PI * u)), Math.abs(s - Math.sin(2 * Math.PI * u)));
    }
    expect(worstLog).toBeLessThan(5e-7);
    expect(worstTrig).toBeLessThan(5e-7);
  });

  it('fillKeyedNormals at an offset equals the same slice of a full draw', () => {
    const key = { key0: 1, key1: 2, step: 3 };
    const full = new Float32Array(37);
    fillKeyedNormals(full, key, 5);
    const part = new Float32Array(10);
    fillKeyedNormals(part, key, 5, 13);
    expect(Array.from(part)).toEqual(Array.from(full.subarray(13, 23)));
  });

  it('has mean 0, std 1 and passes KS and chi-square on 2e5 draws; different seeds/steps/params are uncorrelated', () => {
    const n = 200_000;
    const a = new Float32Array(n);
    fillKeyedNormals(a, { key0: 7, key1: 0, step: 0 }, 0);
    const fit = normalFit(a);
    expect(Math.abs(fit.mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(fit.std - 1)).toBeLessThan(4 / Math.sqrt(2 * n));
    expect(fit.ks).toBeLessThan(fit.ksCritical);
    expect(fit.chiSquare).toBeLessThan(fit.chiSquareCritical);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 12);
    for (const other of [
      { key0: 8, key1: 0, step: 0, p: 0 },
      { key0: 7, key1: 0, step: 1, p: 0 },
      { key0: 7, key1: 0, step: 0, p: 1 },
    ]) {
      const b = new Float32Array(n);
      fillKeyedNormals(b, other, other.p);
      expect(Math.abs(correlation(a, b))).toBeLessThan(4 / Math.sqrt(n));
    }
  });
});
