import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../random/testing/mulberry32';
import { CLIPPING_NAMES, type ClippingNameOrNone } from '../../clipping/functions';
import type { ClippingStyle } from '../../clipping/plan';
import { clipFactorsKernel } from '../clip_factors';
import { conv2dPerSampleGrads } from '../conv2d_per_sample_grads';
import { conv2dSqNorms } from '../conv2d_sq_norms';
import { denseSqNorms } from '../dense_sq_norms';
import type { NoisyUpdateRule } from '../kernel_names';
import { noisyUpdate } from '../noisy_update';

/**
 * Kernel test cases shared by the Node tests (CPU twin vs TF.js-ops reference) and the browser
 * harness (WebGPU kernel vs CPU twin on the same inputs). Inputs come from a seeded generator so
 * both backends see identical values. `run` builds its inputs and calls the op on the active backend.
 */
export interface KernelCase {
  name: string;
  kernel: string;
  run(): tf.Tensor;
}

function randn(seed: number, n: number, scale = 1): Float32Array {
  const rng = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = Math.max(rng(), 1e-12);
    const u2 = rng();
    const r = Math.sqrt(-2 * Math.log(u1)) * scale;
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

function tensor(seed: number, shape: number[], scale = 1): tf.Tensor {
  return tf.tensor(
    randn(
      seed,
      shape.reduce((a, b) => a * b, 1),
      scale,
    ),
    shape,
    'float32',
  );
}

/** Mask with about a quarter of the rows padded (but row 0 always real). */
function maskOf(seed: number, b: number): tf.Tensor1D {
  const rng = mulberry32(seed);
  return tf.tensor1d(
    Float32Array.from({ length: b }, (_, i) => (i === 0 || rng() > 0.25 ? 1 : 0)),
    'float32',
  );
}

export const DENSE_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 3],
  [5, 13, 10],
  [33, 65, 17],
  [64, 784, 32],
  [257, 130, 67],
  [1024, 512, 32],
];

export const CONV_SHAPES: {
  b: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  padding: 'same' | 'valid';
}[] = [
  { b: 1, h: 5, w: 5, cin: 1, cout: 1, k: 3, stride: 1, padding: 'valid' },
  { b: 1, h: 7, w: 6, cin: 3, cout: 5, k: 3, stride: 2, padding: 'same' },
  { b: 3, h: 9, w: 11, cin: 2, cout: 17, k: 4, stride: 2, padding: 'valid' },
  { b: 5, h: 13, w: 13, cin: 16, cout: 32, k: 4, stride: 2, padding: 'valid' },
  { b: 4, h: 28, w: 28, cin: 1, cout: 16, k: 8, stride: 2, padding: 'same' },
  { b: 2, h: 10, w: 9, cin: 5, cout: 3, k: 5, stride: 1, padding: 'same' },
  // Several 64×64 output tiles in both directions (kkCin = 128, Cout = 70) and T = 81.
  { b: 2, h: 9, w: 9, cin: 8, cout: 70, k: 4, stride: 1, padding: 'same' },
  { b: 64, h: 28, w: 28, cin: 1, cout: 16, k: 8, stride: 2, padding: 'same' },
  // The preset CNN's second conv (13×13×16 → 5×5×32): 512 instantiated blocks per sample, more than a workgroup's threads.
  { b: 3, h: 13, w: 13, cin: 16, cout: 32, k: 4, stride: 2, padding: 'valid' },
  // One 4×4 block per sample: 64 samples per workgroup, the last workgroup part-filled (B = 70).
  { b: 70, h: 5, w: 4, cin: 1, cout: 3, k: 2, stride: 2, padding: 'valid' },
  // A single output position (T = 1) and odd channel counts.
  { b: 3, h: 5, w: 5, cin: 3, cout: 7, k: 5, stride: 1, padding: 'valid' },
  // Stride 2 'same' with odd sizes: padding on the bottom/right only, T = 15 (not a multiple of 4).
  { b: 6, h: 9, w: 5, cin: 2, cout: 6, k: 3, stride: 2, padding: 'same' },
];

/** One CONV_SHAPES entry through DpConv2DSqNorms ('sqNorms') or DpConv2DPerSampleGrads ('grads'). */
function convCase(c: (typeof CONV_SHAPES)[number], i: number, output: 'sqNorms' | 'grads'): KernelCase {
  const info = tf.backend_util.computeConv2DInfo(
    [c.b, c.h, c.w, c.cin],
    [c.k, c.k, c.cin, c.cout],
    [c.stride, c.stride],
    [1, 1],
    c.padding,
  );
  return {
    name: `conv2d ${output} B=${c.b} ${c.h}x${c.w}x${c.cin}→${c.cout} k=${c.k} s=${c.stride} ${c.padding}`,
    kernel: output === 'sqNorms' ? 'DpConv2DSqNorms' : 'DpConv2DPerSampleGrads',
    run: () =>
      tf.tidy(() =>
        (output === 'sqNorms' ? conv2dSqNorms : conv2dPerSampleGrads)(
          tensor(300 + i, [c.b, c.h, c.w, c.cin]) as tf.Tensor4D,
          tensor(400 + i, [c.b, info.outHeight, info.outWidth, c.cout], 0.1) as tf.Tensor4D,
          c.k,
          c.stride,
          c.padding,
        ),
      ),
  };
}

const FNS: ClippingNameOrNone[] = ['none', ...CLIPPING_NAMES];
const STYLES: ClippingStyle[] = ['flat', 'layer-wise'];
const RULES: NoisyUpdateRule[] = ['grad', 'sgd', 'momentum', 'nesterov', 'adam', 'adamw'];

export function kernelCases(): KernelCase[] {
  const cases: KernelCase[] = [];
  DENSE_SHAPES.forEach(([b, din, dout], i) => {
    cases.push({
      name: `dense B=${b} Din=${din} Dout=${dout}`,
      kernel: 'DpDenseSqNorms',
      run: () => tf.tidy(() => denseSqNorms(tensor(100 + i, [b, din]) as tf.Tensor2D, tensor(200 + i, [b, dout], 0.1) as tf.Tensor2D)),
    });
  });
  CONV_SHAPES.forEach((c, i) => {
    cases.push(convCase(c, i, 'sqNorms'), convCase(c, i, 'grads'));
  });
  for (const fn of FNS) {
    for (const style of STYLES) {
      for (const [k, b] of [
        [1, 1],
        [4, 67],
        [3, 1000],
      ]) {
        cases.push({
          name: `clip ${fn} ${style} K=${k} B=${b}`,
          kernel: 'DpClipFactors',
          run: () =>
            tf.tidy(() => {
              // Squared norms spread over (0, 16) so that norms fall on both sides of the bound.
              const sq = tf.square(tensor(500 + k * b, [k, b], 2)) as tf.Tensor2D;
              // Flat norms are about 2√(2K), layer norms about 2√2: bounds near them clip some rows, not all.
              return clipFactorsKernel(sq, maskOf(600 + b, b), fn, style, style === 'flat' ? 2.8 * Math.sqrt(k) : 2.8, 0.01);
            }),
        });
      }
    }
  }
  RULES.forEach((rule, r) => {
    for (const n of [1, 5, 4099]) {
      for (const output of ['param', 'state'] as const) {
        const rows = rule === 'adam' || rule === 'adamw' ? 2 : rule === 'momentum' || rule === 'nesterov' ? 1 : 0;
        if (output === 'state' && rows === 0) continue;
        cases.push({
          name: `noisyUpdate ${rule}/${output} n=${n}`,
          kernel: 'DpNoisyUpdate',
          run: () =>
            tf.tidy(() => {
              const param = tensor(700 + r, [n], 0.1);
              const sum = tensor(800 + r, [n], 3);
              const state =
                rows === 0
                  ? null
                  : rows === 2
                    ? tf.concat([tensor(900, [1, n], 0.01), tf.abs(tensor(901, [1, n], 0.01))])
                    : tensor(902, [1, n], 0.1);
              return noisyUpdate(param, sum, state, {
                rule,
                output,
                key0: 0x1234567 + r,
                key1: 42,
                step: 7,
                paramIndex: 3,
                std: 1.3,
                divisor: 64,
                lr: 0.05,
                momentum: 0.9,
                beta1: 0.9,
                beta2: 0.999,
                epsilon: 1e-8,
                weightDecay: 0.01,
                biasCorrection1: 1 - 0.9 ** 3,
                biasCorrection2: 1 - 0.999 ** 3,
              });
            }),
        });
      }
    }
  });
  return cases;
}

/**
 * Elementwise relative error max_i |a_i − b_i| / (|b_i| + 1e-3·max_j |b_j|): relative where values
 * are not tiny, with a floor so an entry that is 0 up to rounding cannot blow it up.
 */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  const floor = 1e-3 * scale + 1e-30;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + floor);
    if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : Math.max(worst, e);
  }
  return worst;
}

/** Normwise relative error ‖a − b‖₂ / ‖b‖₂ (for sums with cancellation, where entries are ill-conditioned). */
export function normRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  const r = Math.sqrt(d / n);
  return Number.isNaN(r) ? Infinity : r;
}
