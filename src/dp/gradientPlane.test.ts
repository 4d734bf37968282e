import * as tf from '@tensorflow/tfjs';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, LayerStack } from '../model/build';
import { type Conv2D } from '../model/layers/conv2d';
import { SequentialModel } from '../model/sequential';
import type { Model } from '../model/types';
import { mulberry32, randInt } from '../random/testing/mulberry32';
import { gradientPlane } from './gradientPlane';
import { readGramTensors } from './gram';
import { unfoldPatches } from './rules/conv2d';
import { conv2dGram } from './rules/conv2dGram';
import { computeGradientTensors, gradientTensors } from './step';
import { perExampleGradients } from './testing/bruteforce';
import { stepPlan, type StepSettings } from './testing/stepPlan';
import type { PlaneGeometry } from '../domain/gradientPlane';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Brute force: each real row's gradient by its own tf.variableGrads call, flattened in float64 into
 * the P × n matrix M (layers in model order); the plane from M's SVD (ml-matrix, Golub–Kahan, a
 * different algorithm from the Gram eigensolver under test): ⟨g_i, v_k⟩ = (Mᵀv_k)_i.
 */
function bruteForce(model: Model, x: tf.Tensor, labels: tf.Tensor1D, rows: number[]) {
  const xr = tf.gather(x, rows);
  const yr = tf.gather(labels, rows) as tf.Tensor1D;
  const per = perExampleGradients(model, xr, yr);
  const blocks = model.layers.filter((l) => l.params.length > 0).map((l) => l.params.map((p) => model.params.indexOf(p)));
  // vectors[i][l]: row i's gradient restricted to layer l, float64.
  const vectors = per.map((g) => blocks.map((idx) => Float64Array.from(idx.flatMap((j) => Array.from(g[j].dataSync())))));
  tf.dispose([xr, yr, ...per.flat()]);
  const flat = vectors.map((v) => Float64Array.from(v.flatMap((b) => Array.from(b))));
  const m = new Matrix(flat).transpose(); // P × n
  const svd = new SingularValueDecomposition(m, { autoTranspose: true });
  const left = svd.leftSingularVectors;
  const directions = [0, 1].map((k) => (k < Math.min(m.rows, m.columns) ? left.getColumn(k) : null));
  const project = (v: Float64Array) => directions.map((d) => (d ? v.reduce((s, x, i) => s + x * d[i], 0) : 0));
  const sv = svd.diagonal;
  const total = sv.reduce((s, x) => s + x * x, 0);
  return { vectors, flat, project, share: ((sv[0] ?? 0) ** 2 + (sv[1] ?? 0) ** 2) / total };
}

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

/** Max-norm relative error of a vector (coordinates near 0 are judged against the vector's scale). */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 1e-4): number {
  expect(actual.length, what).toBe(expected.length);
  const scale = Math.max(...Array.from(expected, Math.abs), 1e-30);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
  if (!(worst <= tol))
    throw new Error(`${what}: relative error ${worst.toExponential(2)} > ${tol}\n got ${Array.from(actual)}\nwant ${Array.from(expected)}`);
  return worst;
}

/** Brute-force clip factors written out from the papers' formulas (not the clipping table). */
function factorOf(s: StepSettings, n: number, bound: number): number {
  if (s.clipping === 'abadi') return Math.min(1, bound / n);
  if (s.clipping === 'auto-s') return 1 / (n + (s.gamma ?? 0.01));
  throw new Error(`test: no brute-force factor for ${s.clipping}`);
}

interface Case {
  model: Model;
  b: number;
  mask: number[];
  settings: StepSettings;
}

/** Runs the DP step with the Gram, builds the plane and compares every output with brute force. */
async function check({ model, b, mask, settings }: Case, seed: number): Promise<number> {
  const rng = mulberry32(seed);
  const x = tf.randomNormal([b, ...model.inputShape], 0, 1, 'float32', seed);
  const labels = tf.tensor1d(
    Array.from({ length: b }, () => randInt(rng, 0, model.numClasses - 1)),
    'int32',
  );
  const maskT = tf.tensor1d(mask, 'float32');
  const plan = stepPlan(settings);
  const t = computeGradientTensors(model, x, labels, maskT, plan, { gram: true });
  const read = await readGramTensors(t.gram!);
  tf.dispose([t.loss, ...gradientTensors(t.gradient), t.gram!.grams, t.gram!.factors]);
  const plane = gradientPlane({
    ...read,
    mask,
    style: plan.clip.style,
    noiseStd: plan.noiseStd,
    expectedBatchSize: plan.expectedBatchSize,
  });
  const rows = mask.flatMap((m, i) => (m > 0 ? [i] : []));
  const ref = bruteForce(model, x, labels, rows);
  tf.dispose([x, labels, maskT]);
  return compare(plane, ref, settings, plan.expectedBatchSize!, plan.noiseStd);
}

function compare(plane: PlaneGeometry, ref: ReturnType<typeof bruteForce>, s: StepSettings, qn: number, noiseStd: number): number {
  const n = ref.flat.length;
  const rawRef = ref.flat.map((v) => ref.project(v));
  // Eigenvectors have no sign: flip each brute-force axis to agree with ours (the invariant checks below need no flip).
  const signs = [0, 1].map((a) => (rawRef.reduce((s, r, i) => s + r[a] * plane.raw[2 * i + a], 0) < 0 ? -1 : 1));
  const norms = ref.flat.map(norm);
  const k = ref.vectors[0].length;
  const bound = s.style === 'layer-wise' ? (s.maxGradNorm ?? 1) / Math.sqrt(k) : (s.maxGradNorm ?? 1);
  const clippedVectors = ref.vectors.map((layers, i) => {
    const parts = layers.map((v) => {
      const c = s.style === 'layer-wise' ? factorOf(s, norm(v), bound) : factorOf(s, norms[i], bound);
      return Array.from(v, (x) => c * x);
    });
    return Float64Array.from(parts.flat());
  });
  const clippedRef = clippedVectors.map((v) => ref.project(v));
  const interleave = (pts: number[][]) => pts.flatMap((p) => [p[0] * signs[0], p[1] * signs[1]]);
  let worst = 0;
  worst = Math.max(worst, expectClose(plane.raw, interleave(rawRef), 'raw coordinates'));
  worst = Math.max(worst, expectClose(plane.clipped, interleave(clippedRef), 'clipped coordinates'));
  const sumRef = [0, 1].map((a) => clippedRef.reduce((t, p) => t + p[a], 0) * signs[a]);
  worst = Math.max(worst, expectClose(plane.clippedSum, sumRef, 'clipped sum'));
  worst = Math.max(
    worst,
    expectClose(
      plane.update,
      sumRef.map((v) => v / qn),
      'private update',
    ),
  );
  for (let i = 0; i < n; i++) {
    worst = Math.max(worst, expectClose([plane.norms[i]], [norms[i]], `‖g_${i}‖`));
    worst = Math.max(worst, expectClose([plane.scales[i]], [norm(clippedVectors[i]) / norms[i]], `scale_${i}`));
    worst = Math.max(worst, expectClose([plane.captured[i]], [Math.hypot(rawRef[i][0], rawRef[i][1]) / norms[i]], `captured_${i}`));
  }
  // Rotation- and sign-free invariant: the projected Gram Σ_a x_ia x_ja.
  const gramOf = (pts: ArrayLike<number>) =>
    Array.from({ length: n * n }, (_, ij) => {
      const i = Math.floor(ij / n);
      const j = ij % n;
      return pts[2 * i] * pts[2 * j] + pts[2 * i + 1] * pts[2 * j + 1];
    });
  worst = Math.max(worst, expectClose(gramOf(plane.raw), gramOf(rawRef.flat()), 'projected Gram'));
  worst = Math.max(worst, expectClose([plane.batchShare], [ref.share], 'batch share of Σλ'));
  expect(plane.noiseRadius).toBeCloseTo(noiseStd, 12);
  expect(plane.updateNoiseRadius).toBeCloseTo(noiseStd / qn, 12);
  return worst;
}

const image = [28, 28, 1];
describe('gradient plane vs brute force (per-example tf.grads, P × B matrix, SVD)', () => {
  const abadi: StepSettings = { clipping: 'abadi', maxGradNorm: 0.1, expectedBatchSize: 4 };
  const autoS: StepSettings = { clipping: 'auto-s', gamma: 0.01, expectedBatchSize: 4 };
  const cases: [string, () => Model][] = [
    ['logistic regression', () => buildModel({ preset: 'logistic' }, [7], 3, 1)],
    ['MLP', () => buildModel({ preset: 'mlp', hidden: [9, 5], activation: 'tanh' }, [6], 4, 2)],
    ['CNN preset (28×28×1)', () => buildModel({ preset: 'cnn', activation: 'tanh' }, image, 10, 3)],
  ];
  const batches: [number, number[]][] = [
    [1, [1]],
    [2, [1, 1]],
    [5, [1, 1, 1, 1, 1]],
    [6, [1, 0, 1, 1, 0, 1]], // padded rows excluded
  ];
  for (const [name, make] of cases) {
    it(`${name}: batch 1, 2, odd and padded; Abadi R=0.1, AUTO-S, layer-wise Abadi`, async () => {
      const model = make();
      let worst = 0;
      let seed = 10;
      for (const [b, mask] of batches) {
        for (const settings of [abadi, autoS, { ...abadi, maxGradNorm: 0.5, style: 'layer-wise' as const }]) {
          try {
            worst = Math.max(worst, await check({ model, b, mask, settings: { ...settings, noiseMultiplier: 0 } }, seed++));
          } catch (e) {
            throw new Error(`${name}, B=${b}, mask ${mask}, ${settings.clipping} ${settings.style ?? 'flat'}: ${(e as Error).message}`, {
              cause: e,
            });
          }
        }
      }
      console.info(`${name}: worst relative error ${worst.toExponential(2)}`);
      model.dispose();
    });
  }

  it('the noise disc is σS and the update divides by qN', async () => {
    const model = buildModel({ preset: 'logistic' }, [4], 2, 7);
    const noise = {
      nextStepKey: () => ({ key0: 1, key1: 2, step: 0 }),
      normal: (shape: number[], std: number) => tf.randomNormal(shape, 0, std, 'float32', 3),
    };
    const s: StepSettings = { clipping: 'abadi', maxGradNorm: 2, expectedBatchSize: 8, noiseMultiplier: 1.5, noise: noise as never };
    const worst = await check({ model, b: 3, mask: [1, 1, 1], settings: s }, 4);
    expect(worst).toBeLessThan(1e-4);
    model.dispose();
  });
});

describe('Conv2D Gram forms', () => {
  it('ghost and instantiated Grams equal the brute-force Gram on random shapes', () => {
    const rng = mulberry32(77);
    for (let trial = 0; trial < 6; trial++) {
      const k = randInt(rng, 1, 3);
      const stride = randInt(rng, 1, 2);
      const padding = rng() < 0.5 ? 'same' : 'valid';
      const h = randInt(rng, 3, 7);
      const cIn = randInt(rng, 1, 3);
      const b = [1, 2, 3][trial % 3];
      const s = new LayerStack([h, h, cIn], trial);
      s.conv2d(randInt(rng, 1, 3), k, stride, padding)
        .activation('tanh')
        .flatten()
        .dense(3);
      const model = new SequentialModel({ preset: 'logistic' }, [h, h, cIn], 3, s.layers);
      const x = tf.randomNormal([b, h, h, cIn], 0, 1, 'float32', trial);
      const labels = tf.tensor1d(
        Array.from({ length: b }, (_, i) => i % 3),
        'int32',
      );
      const per = perExampleGradients(model, x, labels);
      const conv = model.layers[0] as Conv2D;
      const vec = per.map((g) => Float64Array.from(conv.params.flatMap((p) => Array.from(g[model.params.indexOf(p)].dataSync()))));
      const want = vec.flatMap((vi) => vec.map((vj) => vi.reduce((t, v, q) => t + v * vj[q], 0)));
      // The conv layer's output gradient, by the same taps the step uses.
      const cap = computeGradientTensors(
        model,
        x,
        labels,
        tf.ones([b]) as tf.Tensor1D,
        stepPlan({ clipping: 'auto-s', expectedBatchSize: b }),
        { gram: true },
      );
      const convGram = tf.slice(cap.gram!.grams, [0, 0, 0], [1, b, b]).dataSync();
      expectClose(convGram, want, `trial ${trial} step gram`);
      // Both forms from the same taps: rebuild the conv output gradient from a capture.
      const g = tf.tidy(() => {
        const oneHot = tf.oneHot(labels, 3).toFloat();
        return tf.grad((z: tf.Tensor) => {
          let hdn = z;
          for (let i = 1; i < model.layers.length; i++) hdn = model.layers[i].apply(hdn);
          return tf.losses.softmaxCrossEntropy(oneHot, hdn, undefined, 0, tf.Reduction.SUM);
        })(conv.apply(x));
      });
      const u = unfoldPatches(conv, x);
      for (const mode of ['ghost', 'instantiate'] as const) {
        const gm = conv2dGram(u, g, mode);
        expectClose(gm.dataSync(), want, `trial ${trial} ${mode}`);
        gm.dispose();
      }
      tf.dispose([x, labels, u, g, cap.loss, ...gradientTensors(cap.gradient), cap.gram!.grams, cap.gram!.factors, ...per.flat()]);
      model.dispose();
    }
  });
});

describe('gradient plane input checks', () => {
  const base = {
    grams: [4, 1, 1, 2],
    layers: 1,
    rows: 2,
    mask: [1, 1],
    factors: [1, 1],
    style: 'flat' as const,
    noiseStd: 0,
    expectedBatchSize: 2,
  };
  it('stops on a non-finite Gram entry, naming it', () => {
    expect(() => gradientPlane({ ...base, grams: [4, NaN, 1, 2] })).toThrow(/gradient plane: grams\[1\] is NaN \(non-finite input\)/);
    expect(() => gradientPlane({ ...base, factors: [1, Infinity] })).toThrow(/factors\[1\] is Infinity/);
    expect(() => gradientPlane({ ...base, noiseStd: NaN })).toThrow(/noiseStd must be finite/);
  });
  it('refuses mismatched sizes and an all-padding batch', () => {
    expect(() => gradientPlane({ ...base, grams: [1, 2, 3] })).toThrow(/grams has 3 entries, expected K·B·B = 4/);
    expect(() => gradientPlane({ ...base, mask: [0, 0] })).toThrow(/no real row/);
  });
  it('a 2 × 2 Gram by hand: eigenvalues, share and signs', () => {
    // g_1 = (2, 0), g_2 = (0, 1)·… : G = diag(4, 1) → λ = (4, 1), coordinates (2, 0) and (0, 1).
    const p = gradientPlane({ ...base, grams: [4, 0, 0, 1] });
    expect(Array.from(p.raw)).toEqual([2, 0, 0, 1]);
    expect(p.eigenvalues).toEqual([4, 1]);
    expect(p.batchShare).toBe(1);
    expect(p.clippedSum).toEqual([2, 1]);
  });
});
