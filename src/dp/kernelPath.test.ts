import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { poissonSampler } from '../engine/sampling';
import { maxRelErr } from '../kernels/testing/cases';
import { buildModel } from '../model/build';
import type { Model } from '../model/types';
import { createOptimizer, type OptimizerSpec } from '../optim';
import { applyGradients } from './applyGradients';
import { FusedOptimizer } from './fusedOptimizer';
import { computeGradients, gradientTensors } from './step';
import { stepGradients } from './testing/step';
import { stepPlan, type StepSettings } from './testing/stepPlan';
import { SeededNoiseSource } from './noise';
import { resolveDpPath } from './path';
import type { ClippingNameOrNone } from '../clipping/functions';
import type { ClippingStyle } from '../clipping/plan';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TOL = 1e-4;

function cnn(seed = 3): Model {
  return buildModel({ preset: 'cnn', activation: 'tanh' }, [28, 28, 1], 10, seed);
}

function batch(b: number, seed: number): { x: tf.Tensor; labels: tf.Tensor1D; mask: tf.Tensor1D } {
  return {
    x: tf.randomUniform([b, 28, 28, 1], 0, 1, 'float32', seed),
    labels: tf.tensor1d(
      Array.from({ length: b }, (_, i) => (i * 7 + seed) % 10),
      'int32',
    ),
    mask: tf.tensor1d(
      Array.from({ length: b }, (_, i) => (i % 5 === 4 ? 0 : 1)),
      'float32',
    ),
  };
}

async function values(ts: readonly tf.Tensor[]): Promise<Float32Array[]> {
  return Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
}

describe('path selection', () => {
  it('auto uses ops on the CPU backend, kernels can be forced, ops always available', () => {
    expect(resolveDpPath('auto', 'cpu')).toBe('ops');
    expect(resolveDpPath('kernels', 'cpu')).toBe('kernels');
    expect(resolveDpPath('ops', 'webgpu')).toBe('ops');
    expect(() => resolveDpPath('kernels', 'webgl')).toThrow(/no kernels registered for backend "webgl"/);
  });
});

describe('kernel path (CPU twins) equals the ops path on the CNN preset', () => {
  const cases: [ClippingNameOrNone, ClippingStyle][] = [
    ['auto-s', 'flat'],
    ['auto-v', 'layer-wise'],
    ['abadi', 'flat'],
    ['global', 'layer-wise'],
    ['none', 'flat'],
  ];
  // Per-sample gradients kept for both convolutions (default budget), for neither (0), and for the
  // first only (B = 9: conv 1 keeps 9·1040·4 B, conv 2 would need 9·8224·4 B).
  const budgets = [undefined, 0, 100_000];
  it.each(cases.flatMap(([c, s]) => budgets.map((b) => [c, s, b] as const)))(
    '%s %s, kept-gradient budget %s bytes, noise off: same gradients, norms and factors',
    async (clipping, style, perSampleGradBytes) => {
      const model = cnn();
      const { x, labels, mask } = batch(9, 1);
      const base: StepSettings = { clipping, style, maxGradNorm: 0.5, expectedBatchSize: 8, stats: true };
      const ops = await stepGradients(model, x, labels, mask, { ...base, implementation: 'ops' });
      const ker = await stepGradients(model, x, labels, mask, { ...base, implementation: 'kernels', perSampleGradBytes });
      expect(ops.path).toBe('ops');
      expect(ker.path).toBe('kernels');
      const [a, b] = [await values(ops.grads), await values(ker.grads)];
      a.forEach((v, i) => expect(maxRelErr(b[i], v), `grad ${i}`).toBeLessThan(TOL));
      expect(maxRelErr(ker.stats!.perSampleNorms, ops.stats!.perSampleNorms)).toBeLessThan(TOL);
      expect(ker.stats!.meanClipFactor).toBeCloseTo(ops.stats!.meanClipFactor, 5);
      tf.dispose([ops.loss, ker.loss, ...ops.grads, ...ker.grads, x, labels, mask]);
      model.dispose();
    },
  );
});

describe("kernel path forms each convolution's per-sample gradients once", () => {
  /** Names of the kernels one kernel-path DP step of the CNN runs, with how often each ran. */
  async function kernelCounts(perSampleGradBytes?: number): Promise<Record<string, number>> {
    const model = cnn();
    const { x, labels, mask } = batch(9, 1);
    const settings: StepSettings = {
      clipping: 'auto-s',
      style: 'flat',
      expectedBatchSize: 8,
      implementation: 'kernels',
      perSampleGradBytes,
    };
    let grads: tf.Tensor[] = [];
    const info = await tf.profile(async () => {
      const r = await stepGradients(model, x, labels, mask, settings);
      r.loss.dispose();
      grads = r.grads;
    });
    tf.dispose([...grads, x, labels, mask]);
    model.dispose();
    const counts: Record<string, number> = {};
    for (const k of info.kernels) counts[k.name] = (counts[k.name] ?? 0) + 1;
    return counts;
  }

  // The defect: the kernel path formed every sample's conv gradient in the norm kernel, squared it
  // away, and then ran the ordinary filter gradient (Conv2DBackpropFilter over all B·T positions)
  // again for the clipped sum.
  it("no second pass over the convolutions' positions for the clipped sum (Conv2DBackpropFilter) when the gradients fit", async () => {
    const counts = await kernelCounts();
    expect(counts.DpConv2DPerSampleGrads).toBe(2);
    expect(counts.Conv2DBackpropFilter).toBeUndefined();
    expect(counts.DpConv2DSqNorms).toBeUndefined();
  });

  it('refuses a budget that is negative or not finite, naming it', () => {
    for (const perSampleGradBytes of [-1, Number.NaN, Infinity]) {
      expect(() => stepPlan({ clipping: 'auto-s', expectedBatchSize: 8, perSampleGradBytes })).toThrow(
        /perSampleGradBytes must be finite and ≥ 0/,
      );
    }
  });

  it('counts the budget over all layers: the second conv is not kept when only it, not both, would fit', async () => {
    // B = 9: conv 1 keeps 9·1040·4 = 37,440 B, conv 2 needs 9·8224·4 = 296,064 B; together 333,504 B.
    const counts = await kernelCounts(300_000);
    expect(counts.DpConv2DPerSampleGrads).toBe(1);
    expect(counts.DpConv2DSqNorms).toBe(1);
    expect(counts.Conv2DBackpropFilter).toBe(1);
  });

  it('falls back to the norm kernel and the book-keeping sum when they do not fit', async () => {
    const counts = await kernelCounts(0);
    expect(counts.DpConv2DPerSampleGrads).toBeUndefined();
    expect(counts.DpConv2DSqNorms).toBe(2);
    expect(counts.Conv2DBackpropFilter).toBe(2);
  });
});

const SPECS: OptimizerSpec[] = [
  { name: 'sgd', lr: 0.1 },
  { name: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0.01 },
  { name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true },
  { name: 'adam', lr: 0.01, weightDecay: 0.001 },
  { name: 'adamw', lr: 0.01 },
];

describe('FusedOptimizer', () => {
  it.each(SPECS)('equals src/optim with the noise off over 3 steps: %o', async (spec) => {
    const p1 = [tf.variable(tf.randomNormal([7, 5], 0, 1, 'float32', 1)), tf.variable(tf.randomNormal([5], 0, 1, 'float32', 2))];
    const p2 = p1.map((p) => tf.variable(p.clone()));
    const ref = createOptimizer(spec);
    const fused = new FusedOptimizer(spec);
    for (let s = 0; s < 3; s++) {
      const grads = p1.map((p, i) => tf.randomNormal(p.shape, 0, 1, 'float32', 10 * s + i));
      ref.apply(p1, grads);
      fused.apply(p2, grads);
      tf.dispose(grads);
    }
    const [a, b] = [await values(p1), await values(p2)];
    a.forEach((v, i) => expect(maxRelErr(b[i], v)).toBeLessThan(1e-5));
    expect(fused.iterations).toBe(3);
    ref.dispose();
    fused.dispose();
    tf.dispose([...p1, ...p2]);
  });

  it('refuses LAMB (no fused kernel)', () => {
    expect(() => new FusedOptimizer({ name: 'lamb', lr: 0.1 })).toThrow(/no fused kernel/);
  });

  it.each(SPECS.filter((s) => s.name !== 'sgd' || !('nesterov' in s)))(
    'fused noisy update equals noise-in-gradient kernel path + src/optim: %o',
    async (spec) => {
      const mA = cnn(5);
      const mB = cnn(5);
      const optA = createOptimizer(spec);
      const optB = new FusedOptimizer(spec);
      const srcA = new SeededNoiseSource(11);
      const srcB = new SeededNoiseSource(11);
      for (let step = 0; step < 2; step++) {
        const { x, labels, mask } = batch(6, 20 + step);
        const base: StepSettings = { clipping: 'auto-s', expectedBatchSize: 5, noiseMultiplier: 1.1, implementation: 'kernels' };
        const a = await stepGradients(mA, x, labels, mask, { ...base, noise: srcA });
        optA.apply(mA.params, a.grads);
        const b = await computeGradients(mB, x, labels, mask, stepPlan({ ...base, noise: srcB, fusedUpdate: true }));
        expect(b.gradient.kind).toBe('pending');
        if (b.gradient.kind === 'pending') optB.applyNoisy(mB.params, b.gradient.sums, b.gradient.noise);
        tf.dispose([a.loss, b.loss, ...a.grads, ...gradientTensors(b.gradient), x, labels, mask]);
      }
      const [pa, pb] = [await values(mA.params), await values(mB.params)];
      pa.forEach((v, i) => expect(maxRelErr(pb[i], v), `param ${i}`).toBeLessThan(TOL));
      optA.dispose();
      optB.dispose();
      mA.dispose();
      mB.dispose();
    },
  );

  it('noise norm reported for a fused step matches the non-fused draw and σ√d', async () => {
    const model = cnn(2);
    const { x, labels, mask } = batch(4, 3);
    const base: StepSettings = { clipping: 'auto-s', expectedBatchSize: 4, noiseMultiplier: 2, implementation: 'kernels', stats: true };
    const a = await stepGradients(model, x, labels, mask, { ...base, noise: new SeededNoiseSource(4) });
    const b = await computeGradients(model, x, labels, mask, stepPlan({ ...base, noise: new SeededNoiseSource(4), fusedUpdate: true }));
    const d = model.params.reduce((s, p) => s + p.size, 0);
    expect(b.stats!.noiseNorm).toBeCloseTo(a.stats!.noiseNorm, 3);
    expect(Math.abs(a.stats!.noiseNorm / (2 * Math.sqrt(d)) - 1)).toBeLessThan(0.05);
    tf.dispose([a.loss, b.loss, ...a.grads, ...gradientTensors(b.gradient), x, labels, mask]);
    model.dispose();
  });
});

describe('memory over Poisson-sampled DP steps', () => {
  async function run(steps: number, implementation: 'ops' | 'kernels', fused: boolean): Promise<number[]> {
    const n = 400;
    const model = buildModel({ preset: 'mlp', hidden: [16], activation: 'tanh' }, [6], 3, 1);
    const data = tf.randomNormal([n, 6], 0, 1, 'float32', 9);
    const ys = tf.tensor1d(
      Array.from({ length: n }, (_, i) => i % 3),
      'int32',
    );
    const sampler = poissonSampler(n, 32, { kind: 'seeded', seed: 5 });
    const spec: OptimizerSpec = { name: 'adam', lr: 0.01 };
    const opt = fused ? new FusedOptimizer(spec) : createOptimizer(spec);
    const noise = new SeededNoiseSource(1);
    const counts: number[] = [];
    for (let s = 0; s < steps; s++) {
      const bt = sampler.next();
      const x = tf.gather(data, bt.indices);
      const labels = tf.gather(ys, bt.indices) as tf.Tensor1D;
      const mask = tf.tensor1d(bt.mask, 'float32');
      const r = await computeGradients(
        model,
        x,
        labels,
        mask,
        stepPlan({
          clipping: 'auto-s',
          expectedBatchSize: 32,
          noiseMultiplier: 1,
          noise,
          implementation,
          fusedUpdate: fused,
          stats: s % 10 === 0,
        }),
      );
      applyGradients(opt, model.params, r.gradient, 1);
      await r.loss.data();
      tf.dispose([r.loss, ...gradientTensors(r.gradient), x, labels, mask]);
      const m = tf.memory();
      counts.push(m.numTensors, m.numBytes);
    }
    opt.dispose();
    model.dispose();
    tf.dispose([data, ys]);
    return counts;
  }

  it('tensor count and bytes stay flat over 300 steps (ops path)', async () => {
    const c = await run(300, 'ops', false);
    // After the first step (optimizer state created), every later step ends with the same memory.
    const tensorsAfter = c.filter((_, i) => i % 2 === 0).slice(1);
    const bytesAfter = c.filter((_, i) => i % 2 === 1).slice(1);
    expect(new Set(tensorsAfter).size).toBe(1);
    expect(new Set(bytesAfter).size).toBe(1);
  });

  it('tensor count and bytes stay flat over 100 steps (kernel path, fused update)', async () => {
    const c = await run(100, 'kernels', true);
    expect(new Set(c.filter((_, i) => i % 2 === 0).slice(1)).size).toBe(1);
    expect(new Set(c.filter((_, i) => i % 2 === 1).slice(1)).size).toBe(1);
  });
});
