import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedOptimizer } from '../dp/fusedOptimizer';
import { registerCpuKernels } from '../kernels';
import { createOptimizer } from './registry';
import type { Optimizer, OptimizerSpec } from './types';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCpuKernels();
});

// A tiny problem: two parameter tensors (one holding a zero entry) and three steps of fixed gradients.
const P0 = [
  [0.5, -1, 2, 0],
  [0.1, -0.3, 0],
];
const SHAPES = [[2, 2], [3]];
const GRADS = [
  [
    [0.2, -0.1, 0.05, 1],
    [0.3, 0, -0.2],
  ],
  [
    [-0.4, 0.3, 0.1, 0.5],
    [0.1, 0.2, 0.2],
  ],
  [
    [0.1, 0.1, -0.3, -0.2],
    [-0.5, 0.4, 0.0],
  ],
];

/** Runs the optimizer under test on the tiny problem and returns the parameters after each step. */
/** Learning rate of step s (0-based): one rate, or one per step (a rate changed between steps). */
type Rates = number | readonly number[];
const rateAt = (lr: Rates, s: number) => (typeof lr === 'number' ? lr : lr[s]);

/** Runs the steps; with `lrs`, sets the optimizer's learning rate before each step, as a run does. */
function runTf(spec: OptimizerSpec, lrs?: readonly number[], make: (spec: OptimizerSpec) => Optimizer = createOptimizer): number[][][] {
  const opt = make(spec);
  const params = P0.map((v, i) => tf.tidy(() => tf.variable(tf.tensor(v, SHAPES[i]))));
  const out: number[][][] = [];
  for (const [s, g] of GRADS.entries()) {
    if (lrs) opt.learningRate = lrs[s];
    const grads = g.map((v, i) => tf.tensor(v, SHAPES[i]));
    opt.apply(params, grads);
    tf.dispose(grads);
    out.push(params.map((p) => Array.from(p.dataSync())));
  }
  expect(opt.iterations).toBe(GRADS.length);
  opt.dispose();
  tf.dispose(params);
  return out;
}

function expectClose(actual: number[][][], expected: number[][][]): void {
  for (let s = 0; s < expected.length; s++) {
    for (let i = 0; i < expected[s].length; i++) {
      for (let j = 0; j < expected[s][i].length; j++) {
        const e = expected[s][i][j];
        expect(Math.abs(actual[s][i][j] - e)).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(e));
      }
    }
  }
}

const clone = (p: number[][]) => p.map((v) => v.slice());

describe('optimizers against hand-written references (plain JS, float64)', () => {
  it('SGD, plain and with weight decay', () => {
    const lr = 0.1;
    const wd = 0.05;
    for (const decay of [0, wd]) {
      const p = clone(P0);
      const expected: number[][][] = [];
      for (const g of GRADS) {
        for (let i = 0; i < p.length; i++) for (let j = 0; j < p[i].length; j++) p[i][j] -= lr * (g[i][j] + decay * p[i][j]);
        expected.push(clone(p));
      }
      expectClose(runTf({ name: 'sgd', lr, weightDecay: decay }), expected);
    }
  });

  function momentumReference(lr: Rates, mu: number, nesterov: boolean): number[][][] {
    const p = clone(P0);
    const v = P0.map((a) => a.map(() => 0));
    const expected: number[][][] = [];
    GRADS.forEach((g, s) => {
      for (let i = 0; i < p.length; i++) {
        for (let j = 0; j < p[i].length; j++) {
          v[i][j] = mu * v[i][j] + g[i][j];
          const d = nesterov ? g[i][j] + mu * v[i][j] : v[i][j];
          p[i][j] -= rateAt(lr, s) * d;
        }
      }
      expected.push(clone(p));
    });
    return expected;
  }

  it('SGD with momentum and with Nesterov momentum (torch.optim.SGD semantics)', () => {
    for (const nesterov of [false, true]) {
      expectClose(runTf({ name: 'sgd', lr: 0.05, momentum: 0.9, nesterov }), momentumReference(0.05, 0.9, nesterov));
    }
  });

  function adamReference(lr: Rates, b1: number, b2: number, eps: number, l2: number, decoupled: number): number[][][] {
    const p = clone(P0);
    const m = P0.map((a) => a.map(() => 0));
    const v = P0.map((a) => a.map(() => 0));
    const expected: number[][][] = [];
    GRADS.forEach((g, s) => {
      const t = s + 1;
      for (let i = 0; i < p.length; i++) {
        for (let j = 0; j < p[i].length; j++) {
          const gij = g[i][j] + l2 * p[i][j];
          p[i][j] *= 1 - rateAt(lr, s) * decoupled;
          m[i][j] = b1 * m[i][j] + (1 - b1) * gij;
          v[i][j] = b2 * v[i][j] + (1 - b2) * gij * gij;
          const mh = m[i][j] / (1 - b1 ** t);
          const vh = v[i][j] / (1 - b2 ** t);
          p[i][j] -= (rateAt(lr, s) * mh) / (Math.sqrt(vh) + eps);
        }
      }
      expected.push(clone(p));
    });
    return expected;
  }

  it('Adam (defaults, and custom betas with coupled L2)', () => {
    expectClose(runTf({ name: 'adam', lr: 0.01 }), adamReference(0.01, 0.9, 0.999, 1e-8, 0, 0));
    expectClose(
      runTf({ name: 'adam', lr: 0.03, beta1: 0.8, beta2: 0.99, epsilon: 1e-3, weightDecay: 0.1 }),
      adamReference(0.03, 0.8, 0.99, 1e-3, 0.1, 0),
    );
  });

  it('AdamW (decoupled weight decay, default 0.01)', () => {
    expectClose(runTf({ name: 'adamw', lr: 0.01 }), adamReference(0.01, 0.9, 0.999, 1e-8, 0, 0.01));
    expectClose(runTf({ name: 'adamw', lr: 0.1, weightDecay: 0.5 }), adamReference(0.1, 0.9, 0.999, 1e-8, 0, 0.5));
  });

  function lambReference(lr: Rates, wd: number): number[][][] {
    {
      const [b1, b2, eps] = [0.9, 0.999, 1e-6];
      const p = clone(P0);
      const m = P0.map((a) => a.map(() => 0));
      const v = P0.map((a) => a.map(() => 0));
      const expected: number[][][] = [];
      GRADS.forEach((g, s) => {
        const t = s + 1;
        for (let i = 0; i < p.length; i++) {
          const u: number[] = [];
          for (let j = 0; j < p[i].length; j++) {
            m[i][j] = b1 * m[i][j] + (1 - b1) * g[i][j];
            v[i][j] = b2 * v[i][j] + (1 - b2) * g[i][j] ** 2;
            u.push(m[i][j] / (1 - b1 ** t) / (Math.sqrt(v[i][j] / (1 - b2 ** t)) + eps) + wd * p[i][j]);
          }
          const pn = Math.hypot(...p[i]);
          const un = Math.hypot(...u);
          const trust = pn > 0 && un > 0 ? pn / un : 1;
          for (let j = 0; j < p[i].length; j++) p[i][j] -= rateAt(lr, s) * trust * u[j];
        }
        expected.push(clone(p));
      });
      return expected;
    }
  }

  it('LAMB (layer-wise trust ratio ‖θ‖/‖u‖, with and without weight decay)', () => {
    for (const wd of [0, 0.1]) expectClose(runTf({ name: 'lamb', lr: 0.02, weightDecay: wd }), lambReference(0.02, wd));
  });

  // A run's learning rate changed between steps 2 and 3 (src/engine/trainingRun.ts sets it before each
  // step): the optimizer continues with the new rate on its own momentum / moments, not fresh ones.
  describe('a learning rate changed mid-run keeps the optimizer state', () => {
    const LRS = [0.05, 0.05, 0.4];
    const optimizers: [string, (spec: OptimizerSpec) => Optimizer][] = [
      ['src/optim', createOptimizer],
      ['fused kernel update', (spec) => new FusedOptimizer(spec)],
    ];
    for (const [where, make] of optimizers) {
      it(`SGD with momentum and Nesterov (${where})`, () => {
        for (const nesterov of [false, true]) {
          expectClose(runTf({ name: 'sgd', lr: LRS[0], momentum: 0.9, nesterov }, LRS, make), momentumReference(LRS, 0.9, nesterov));
        }
      });
      it(`Adam and AdamW (${where})`, () => {
        expectClose(runTf({ name: 'adam', lr: LRS[0] }, LRS, make), adamReference(LRS, 0.9, 0.999, 1e-8, 0, 0));
        expectClose(runTf({ name: 'adamw', lr: LRS[0], weightDecay: 0.5 }, LRS, make), adamReference(LRS, 0.9, 0.999, 1e-8, 0, 0.5));
      });
    }
    it('LAMB (src/optim)', () => {
      expectClose(runTf({ name: 'lamb', lr: LRS[0], weightDecay: 0.1 }, LRS), lambReference(LRS, 0.1));
    });
    it('the check can tell: a restart (fresh moments at the new rate) gives another third step', () => {
      const continued = runTf({ name: 'adam', lr: LRS[0] }, LRS);
      // Adam's first step from zero moments: m̂ = g, v̂ = g², so θ moves by lr·g/(|g| + ε).
      const restarted = continued[1].map((row, i) => row.map((x, j) => x - (LRS[2] * GRADS[2][i][j]) / (Math.abs(GRADS[2][i][j]) + 1e-8)));
      const gap = Math.max(...continued[2].flatMap((row, i) => row.map((x, j) => Math.abs(x - restarted[i][j]))));
      expect(gap).toBeGreaterThan(0.05);
    });
  });

  it('LAMB uses trust ratio 1 for an all-zero parameter tensor (no NaN)', () => {
    const opt = createOptimizer({ name: 'lamb', lr: 0.1 });
    const p = tf.variable(tf.zeros([3]));
    const g = tf.tensor1d([1, -2, 0]);
    opt.apply([p], [g]);
    // First step: m̂ = g, v̂ = g², u = g/(|g| + ε) ≈ sign(g); trust 1.
    const got = Array.from(p.dataSync());
    expect(got[0]).toBeCloseTo(-0.1 / (1 + 1e-6), 6);
    expect(got[1]).toBeCloseTo(0.1 * (2 / (2 + 1e-6)), 6);
    expect(got[2]).toBe(0);
    opt.dispose();
    tf.dispose([p, g]);
  });

  it('registry rejects unknown names and bad hyper-parameters; shape mismatches throw', () => {
    expect(() => createOptimizer({ name: 'rmsprop', lr: 1 } as unknown as OptimizerSpec)).toThrow(/unknown optimizer "rmsprop"/);
    expect(() => createOptimizer({ name: 'sgd', lr: 0.1, nesterov: true })).toThrow(/Nesterov/);
    expect(() => createOptimizer({ name: 'adam', lr: 0.1, beta1: 1 })).toThrow(/beta1/);
    const opt = createOptimizer({ name: 'sgd', lr: 0.1 });
    const p = tf.variable(tf.zeros([2]));
    expect(() => opt.apply([p], [tf.zeros([3])])).toThrow(/shape/);
    tf.dispose(p);
  });

  it('does not leak tensors across steps', () => {
    const before = tf.memory().numTensors;
    const out = runTf({ name: 'lamb', lr: 0.01 });
    expect(out.length).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
  });
});
