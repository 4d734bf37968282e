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

const SPECS: OptimizerSpec[] = [
  { name: 'sgd', lr: 0.1 },
  { name: 'sgd', lr: 0.1, momentum: 0.9 },
  { name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true },
  { name: 'adam', lr: 0.01 },
  { name: 'adamw', lr: 0.01, weightDecay: 0.1 },
  { name: 'lamb', lr: 0.01 },
];

function params(): tf.Variable[] {
  return [
    tf.variable(
      tf.tensor2d([
        [0.5, -1],
        [2, 0.25],
        [-0.3, 0.7],
      ]),
    ),
    tf.variable(tf.tensor1d([0.1, -0.2])),
  ];
}
const grads = (t: number) => [
  tf
    .tensor2d([
      [t, -1],
      [0.5, t * t],
      [-0.3, 1],
    ])
    .mul(0.1),
  tf.tensor1d([1, -t]),
];

async function values(ps: tf.Variable[]): Promise<number[]> {
  return (await Promise.all(ps.map((p) => p.data()))).flatMap((a) => Array.from(a));
}

async function run(opt: Optimizer, ps: tf.Variable[], from: number, to: number) {
  for (let t = from; t < to; t++) {
    const g = grads(t);
    opt.apply(ps, g);
    tf.dispose(g);
  }
}

describe('optimizer state save / load', () => {
  for (const spec of SPECS) {
    it(`${spec.name}${spec.name === 'sgd' ? ` (momentum ${spec.momentum ?? 0}${spec.nesterov ? ', Nesterov' : ''})` : ''}: resuming from a saved state equals never stopping`, async () => {
      const a = params();
      const optA = createOptimizer(spec);
      await run(optA, a, 1, 6);

      const b = params();
      const optB = createOptimizer(spec);
      await run(optB, b, 1, 4);
      const saved = await optB.saveState();
      const savedParams = await Promise.all(b.map((p) => p.data()));
      optB.dispose();
      // A fresh optimizer and fresh variables restored from the checkpoint.
      const c = b.map((p, i) => tf.variable(tf.tensor(savedParams[i] as Float32Array, p.shape)));
      const optC = createOptimizer(spec);
      optC.loadState(saved, c);
      await run(optC, c, 4, 6);
      const [va, vc] = [await values(a), await values(c)];
      vc.forEach((v, i) => expect(v).toBeCloseTo(va[i], 6));
      expect(optC.iterations).toBe(5);
    });
  }

  it('a fused-optimizer checkpoint resumes on the plain optimizer (the device-loss path)', async () => {
    for (const spec of SPECS.filter((s) => s.name !== 'lamb')) {
      const a = params();
      const plain = createOptimizer(spec);
      await run(plain, a, 1, 6);

      const b = params();
      const fused = new FusedOptimizer(spec);
      await run(fused, b, 1, 4);
      const saved = await fused.saveState();
      const plainAgain = createOptimizer(spec);
      plainAgain.loadState(saved, b);
      await run(plainAgain, b, 4, 6);
      const [va, vb] = [await values(a), await values(b)];
      vb.forEach((v, i) => expect(v).toBeCloseTo(va[i], 5));
    }
  });

  it('refuses a state from another optimizer or of the wrong shape, changing nothing', async () => {
    const ps = params();
    const adam = createOptimizer({ name: 'adam', lr: 0.01 });
    await run(adam, ps, 1, 2);
    const saved = await adam.saveState();
    expect(() => createOptimizer({ name: 'sgd', lr: 0.1, momentum: 0.9 }).loadState(saved, ps)).toThrow(
      /cannot load the state of a "adam"/,
    );
    expect(() => createOptimizer({ name: 'adam', lr: 0.01 }).loadState({ ...saved, slots: saved.slots.slice(1) }, ps)).toThrow(/slots/);
  });
});

describe('loading an optimizer state leaked one tensor per slot', () => {
  it('after loadState, the only new tensors are the slot variables themselves (plain and fused optimizers)', async () => {
    const optimizers: Array<() => Optimizer> = [
      ...SPECS.map((spec) => () => createOptimizer(spec)),
      ...SPECS.filter((s) => s.name !== 'lamb').map((spec) => () => new FusedOptimizer(spec)),
    ];
    for (const make of optimizers) {
      const ps = params();
      const first = make();
      await run(first, ps, 1, 3);
      const saved = await first.saveState();
      first.dispose();
      const second = make();
      const before = tf.memory().numTensors;
      second.loadState(saved, ps);
      const slotVariables = second instanceof FusedOptimizer ? (saved.slots.length > 0 ? ps.length : 0) : saved.slots.length;
      expect(tf.memory().numTensors - before, `${second.name}`).toBe(slotVariables);
      second.dispose();
      tf.dispose(ps);
    }
  });
});
