import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, LayerStack } from '../model/build';
import { SequentialModel } from '../model/sequential';
import type { Model } from '../model/types';
import { CLIPPING_NAMES, type ClippingNameOrNone } from '../clipping/functions';
import { resolveClipPlan, type ClippingStyle } from '../clipping/plan';
import { tableFactor } from '../clipping/testing/tableFactor';
import { disposeDiagnostics as disposeDiag } from './diagnostics';
import { stepTensors } from './testing/step';
import { SeededNoiseSource } from './noise';
import { perExampleGradients } from './testing/bruteforce';
import { mulberry32, randInt } from '../random/testing/mulberry32';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const FNS: ClippingNameOrNone[] = ['none', ...CLIPPING_NAMES];
const STYLES: ClippingStyle[] = ['flat', 'layer-wise'];

interface Brute {
  /** [B][P] per-example gradients as float64 arrays. */
  g: number[][][];
  /** Which param indices belong to each parametric layer. */
  groups: number[][];
}

function brute(model: Model, x: tf.Tensor, labels: tf.Tensor1D): Brute {
  const per = perExampleGradients(model, x, labels);
  const g = per.map((row) => row.map((t) => Array.from(t.dataSync())));
  tf.dispose(per.flat());
  const groups = model.layers.filter((l) => l.params.length > 0).map((l) => l.params.map((p) => model.params.indexOf(p)));
  return { g, groups };
}

const sq = (v: number[]) => v.reduce((a, b) => a + b * b, 0);

/** Brute-force clip-then-sum: Σ_i C_i g_i over real rows, per parameter. */
function bruteClippedSum(
  b: Brute,
  mask: number[],
  fn: ClippingNameOrNone,
  style: ClippingStyle,
  R: number,
  gamma: number,
): { sums: number[][]; clippedNorms: number[]; factors: number[][] } {
  const S = fn === 'abadi' || fn === 'global' ? R : 1;
  const K = b.groups.length;
  const bound = style === 'flat' ? S : S / Math.sqrt(K);
  const P = b.g[0].length;
  const sums = b.g[0].map((t) => t.map(() => 0));
  const clippedNorms: number[] = [];
  const factors: number[][] = [];
  b.g.forEach((gi, i) => {
    const pf = new Array<number>(P).fill(0);
    if (style === 'flat') {
      const n = Math.sqrt(gi.reduce((s, t) => s + sq(t), 0));
      const c = tableFactor(fn, n, bound, gamma) * mask[i];
      pf.fill(c);
      factors.push([c]);
    } else {
      factors.push(
        b.groups.map((idx) => {
          const n = Math.sqrt(idx.reduce((s, j) => s + sq(gi[j]), 0));
          const c = tableFactor(fn, n, bound, gamma) * mask[i];
          for (const j of idx) pf[j] = c;
          return c;
        }),
      );
    }
    let cn = 0;
    gi.forEach((t, j) => {
      t.forEach((v, e) => {
        sums[j][e] += pf[j] * v;
        cn += (pf[j] * v) ** 2;
      });
    });
    if (mask[i]) clippedNorms.push(Math.sqrt(cn));
  });
  return { sums, clippedNorms, factors };
}

function maxRelErr(actual: ArrayLike<number>, expected: number[]): number {
  let scale = 0;
  let err = 0;
  expected.forEach((e, i) => {
    scale = Math.max(scale, Math.abs(e));
    err = Math.max(err, Math.abs(actual[i] - e));
  });
  return scale === 0 ? err : err / scale;
}

function smallConvModel(seed: number): Model {
  const s = new LayerStack([7, 6, 2], seed);
  s.conv2d(3, 3, 2, 'same').activation('tanh').conv2d(2, 2, 1, 'valid').activation('relu').flatten().dense(5).activation('tanh').dense(3);
  return new SequentialModel({ preset: 'cnn', activation: 'tanh' }, [7, 6, 2], 3, s.layers);
}

describe('clipped sums vs brute-force clip-then-sum', () => {
  const models: [string, () => Model, number][] = [
    ['MLP', () => buildModel({ preset: 'mlp', hidden: [6, 5], activation: 'tanh' }, [4], 3, 3), 7],
    ['conv', () => smallConvModel(4), 5],
  ];
  for (const [name, make, B] of models) {
    it(`${name}: every clipping function × flat/layer-wise, with padded rows`, () => {
      const model = make();
      const x = tf.randomNormal([B, ...model.inputShape], 0, 1, 'float32', 21);
      const rng = mulberry32(5);
      const labels = tf.tensor1d(
        Array.from({ length: B }, () => randInt(rng, 0, 2)),
        'int32',
      );
      const maskArr: number[] = Array.from({ length: B }, (_, i) => (i === 1 ? 0 : 1));
      const mask = tf.tensor1d(maskArr);
      const bf = brute(model, x, labels);
      const flatNorms = bf.g.map((gi) => Math.sqrt(gi.reduce((s, t) => s + sq(t), 0))).filter((_, i) => maskArr[i]);
      // R between two real norms, so abadi and global clip some rows and not others.
      const sorted = [...flatNorms].sort((a, b) => a - b);
      const R = (sorted[1] + sorted[2]) / 2;
      let worst = 0;
      for (const fn of FNS) {
        for (const style of STYLES) {
          const gamma = 0.01;
          const ref = bruteClippedSum(bf, maskArr, fn, style, R, gamma);
          const { loss, grads, diag } = stepTensors(model, x, labels, mask, {
            clipping: fn,
            maxGradNorm: fn === 'abadi' || fn === 'global' ? R : undefined,
            style,
            expectedBatchSize: fn === 'none' ? undefined : 1,
            stats: true,
          });
          const realRows = maskArr.reduce((a, b) => a + b, 0);
          const divisor = fn === 'none' ? realRows : 1;
          grads.forEach((g, j) => {
            const got = Array.from(g.dataSync(), (v) => v * divisor);
            const e = maxRelErr(got, ref.sums[j]);
            worst = Math.max(worst, e);
            expect(e, `${name} ${fn} ${style} param ${j}`).toBeLessThan(1e-5);
          });
          // The engine's factors, applied to the brute-force per-sample gradients, respect the bound.
          const f = diag!.factors.arraySync() as number[] | number[][];
          const refF = ref.factors;
          if (style === 'flat') {
            expect(
              maxRelErr(
                f as number[],
                refF.map((r) => r[0]),
              ),
              `${fn} factors`,
            ).toBeLessThan(1e-5);
          } else {
            const fk = f as number[][];
            expect(
              maxRelErr(
                refF.flatMap((r) => r),
                refF.flatMap((_, i) => fk.map((row) => row[i])),
              ),
              `${fn} factors`,
            ).toBeLessThan(1e-5);
          }
          const S = fn === 'abadi' || fn === 'global' ? R : 1;
          if (fn !== 'none') for (const n of ref.clippedNorms) expect(n).toBeLessThanOrEqual(S * (1 + 1e-6));
          const clippedSumNorm = Math.sqrt(ref.sums.reduce((s, t) => s + sq(t), 0));
          expect(Math.abs(diag!.clippedSumNorm.dataSync()[0] - clippedSumNorm)).toBeLessThanOrEqual(1e-5 * clippedSumNorm + 1e-12);
          disposeDiag(diag);
          tf.dispose([loss, ...grads]);
        }
      }
      console.info(`${name}: worst relative clipped-sum error ${worst.toExponential(2)}`);
      tf.dispose([x, labels, mask]);
      model.dispose();
    });
  }

  it('adds N(0, σ²S²) once (S = R for abadi, 1 for auto-s) and divides by the expected batch size', () => {
    const model = buildModel({ preset: 'mlp', hidden: [4], activation: 'relu' }, [3], 2, 9);
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 2);
    const labels = tf.tensor1d([0, 1, 1, 0], 'int32');
    const mask = tf.tensor1d([1, 1, 1, 0]);
    for (const [fn, R] of [
      ['abadi', 0.7],
      ['auto-s', 5],
    ] as const) {
      const sigma = 1.3;
      const qn = 6.5;
      const clean = stepTensors(model, x, labels, mask, { clipping: fn, maxGradNorm: R, expectedBatchSize: 1 });
      const noisy = stepTensors(model, x, labels, mask, {
        clipping: fn,
        maxGradNorm: R,
        noiseMultiplier: sigma,
        expectedBatchSize: qn,
        noise: new SeededNoiseSource(77),
        stats: true,
      });
      const replay = new SeededNoiseSource(77);
      const S = fn === 'abadi' ? R : 1;
      let noiseSq = 0;
      noisy.grads.forEach((g, j) => {
        const n = replay.normal(g.shape, sigma * S);
        const expected = Array.from(clean.grads[j].dataSync(), (c, e) => (c + n.dataSync()[e]) / qn);
        noiseSq += sq(Array.from(n.dataSync()));
        expect(maxRelErr(g.dataSync(), expected)).toBeLessThan(1e-5);
        n.dispose();
      });
      expect(noisy.diag!.noiseNorm.dataSync()[0]).toBeCloseTo(Math.sqrt(noiseSq), 4);
      disposeDiag(clean.diag);
      disposeDiag(noisy.diag);
      tf.dispose([clean.loss, noisy.loss, ...clean.grads, ...noisy.grads]);
    }
    tf.dispose([x, labels, mask]);
    model.dispose();
  });

  it('validates options', () => {
    const model = buildModel({ preset: 'logistic' }, [2], 2, 0);
    const x = tf.ones([2, 2]);
    const labels = tf.tensor1d([0, 1], 'int32');
    const mask = tf.ones([2]) as tf.Tensor1D;
    const run = (o: Parameters<typeof stepTensors>[4]) => () => stepTensors(model, x, labels, mask, o);
    expect(run({ clipping: 'abadi', expectedBatchSize: 2 })).toThrow(/needs the threshold R/);
    expect(run({ clipping: 'auto-s' })).toThrow(/expectedBatchSize/);
    expect(run({ clipping: 'auto-s', expectedBatchSize: 2, noiseMultiplier: 1 })).toThrow(/noise source/);
    expect(run({ clipping: 'none', noiseMultiplier: 1 })).toThrow(/no noise/);
    expect(run({ clipping: 'bogus' as ClippingNameOrNone })).toThrow(/unknown clipping/);
    tf.dispose([x, labels, mask]);
    model.dispose();
  });
});

describe('property: clipped per-sample norms stay within the bound, never NaN', () => {
  // Norm vectors mixing exact zeros, tiny, ordinary and huge values (float32-representable).
  const norms = fc.array(
    fc.oneof(
      fc.constant(0),
      fc.float({ min: Math.fround(1e-30), max: Math.fround(1e-3), noNaN: true }),
      fc.float({ min: Math.fround(1e-3), max: Math.fround(1e3), noNaN: true }),
      fc.float({ min: Math.fround(1e3), max: Math.fround(1e30), noNaN: true }),
    ),
    { minLength: 1, maxLength: 64 },
  );

  it('clipFactors over thousands of random norms: ‖C·g‖ ≤ R (abadi, global), ≤ 1 and < 1 where float32 can show it (automatic)', () => {
    let cases = 0;
    fc.assert(
      fc.property(
        norms,
        fc.constantFrom<ClippingNameOrNone>('abadi', 'global', 'auto-v', 'auto-s'),
        fc.float({ min: Math.fround(1e-3), max: Math.fround(1e3), noNaN: true }),
        fc.float({ min: Math.fround(1e-4), max: Math.fround(1), noNaN: true }),
        (ns, fn, R, gamma) => {
          const plan = resolveClipPlan({ clipping: fn, maxGradNorm: R, gamma });
          const bound = plan.sensitivity;
          const c = tf.tidy(() => plan.fn.factorOps(tf, tf.tensor1d(ns), bound, gamma).dataSync());
          ns.forEach((n, i) => {
            cases++;
            const ci = c[i];
            expect(Number.isFinite(ci)).toBe(true);
            expect(ci).toBeGreaterThanOrEqual(0);
            const clipped = n * ci;
            // Float32 rounding of R/n can overshoot R by ≤ 1 ulp, hence the 1e-6 relative slack.
            expect(clipped).toBeLessThanOrEqual(bound * (1 + 1e-6));
            // AUTO-S: n/(n+γ) < 1 exactly; in float32 it rounds to 1 once γ/n < 2⁻²⁴.
            if (fn === 'auto-s' && n < gamma * 2 ** 22) expect(clipped).toBeLessThan(1);
            if (fn === 'auto-v' && n === 0) expect(ci).toBe(0);
            if (fn === 'abadi' && n <= R) expect(ci).toBe(1);
          });
        },
      ),
      { numRuns: 400, seed: 12345 },
    );
    expect(cases).toBeGreaterThan(2000);
  });

  it('full models, including per-sample gradients that are exactly zero (saturated softmax)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom<ClippingNameOrNone>('abadi', 'global', 'auto-v', 'auto-s'),
        fc.constantFrom<ClippingStyle>('flat', 'layer-wise'),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        (B, fn, style, seed, saturate) => {
          const model = buildModel({ preset: 'mlp', hidden: [3], activation: 'relu' }, [3], 2, seed);
          // Saturated logits give p = onehot exactly in float32, so the per-sample gradient is 0.
          const x = tf.mul(tf.randomNormal([B, 3], 0, 1, 'float32', seed), saturate ? 1e4 : 1);
          const pred = tf.tidy(() => tf.argMax(model.apply(x), 1).toInt()) as tf.Tensor1D;
          const mask = tf.ones([B]) as tf.Tensor1D;
          const bf = brute(model, x, pred);
          const norms = bf.g.map((gi) => Math.sqrt(gi.reduce((s, t) => s + sq(t), 0)));
          const R = Math.max(1e-3, norms[0] * 0.9);
          const { loss, grads, diag } = stepTensors(model, x, pred, mask, {
            clipping: fn,
            maxGradNorm: R,
            style,
            expectedBatchSize: B,
            stats: true,
          });
          const S = fn === 'abadi' || fn === 'global' ? R : 1;
          const K = bf.groups.length;
          const f = diag!.factors.arraySync() as number[] | number[][];
          bf.g.forEach((gi, i) => {
            let n2 = 0;
            if (style === 'flat') {
              const c = (f as number[])[i];
              n2 = gi.reduce((s, t) => s + sq(t), 0) * c * c;
            } else {
              bf.groups.forEach((idx, k) => {
                const c = (f as number[][])[k][i];
                const gk = idx.reduce((s, j) => s + sq(gi[j]), 0) * c * c;
                expect(Math.sqrt(gk)).toBeLessThanOrEqual((S / Math.sqrt(K)) * (1 + 1e-5));
                n2 += gk;
              });
            }
            expect(Number.isNaN(n2)).toBe(false);
            expect(Math.sqrt(n2)).toBeLessThanOrEqual(S * (1 + 1e-5));
          });
          for (const g of grads) expect(g.dataSync().every(Number.isFinite)).toBe(true);
          expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
          disposeDiag(diag);
          tf.dispose([loss, ...grads, x, pred, mask]);
          model.dispose();
        },
      ),
      { numRuns: 60, seed: 777 },
    );
  });

  it('saturated inputs really produce zero per-sample gradients (the case above is exercised)', () => {
    const model = buildModel({ preset: 'mlp', hidden: [3], activation: 'relu' }, [3], 2, 1);
    const x = tf.mul(tf.randomNormal([4, 3], 0, 1, 'float32', 1), 1e4);
    const pred = tf.tidy(() => tf.argMax(model.apply(x), 1).toInt()) as tf.Tensor1D;
    const bf = brute(model, x, pred);
    const zeros = bf.g.filter((gi) => gi.every((t) => t.every((v) => v === 0))).length;
    expect(zeros).toBeGreaterThan(0);
    const { loss, grads, diag } = stepTensors(model, x, pred, tf.ones([4]) as tf.Tensor1D, {
      clipping: 'auto-v',
      expectedBatchSize: 4,
      stats: true,
    });
    const f = diag!.factors.dataSync();
    bf.g.forEach((gi, i) => {
      if (gi.every((t) => t.every((v) => v === 0))) expect(f[i]).toBe(0);
    });
    disposeDiag(diag);
    tf.dispose([loss, ...grads, x, pred]);
    model.dispose();
  });
});
