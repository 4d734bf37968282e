/**
 * `npx tsx bench/limits.ts [--cnn]`: what a private training step costs near the limits of
 * src/config/stepBudget.ts, in Node on the TF.js CPU backend (the browser's last fallback runs the
 * same code). For each config: parameters, multiply-adds per step (batch × forward cost per
 * example), median ms of two steps after one warm-up, and the peak tensor memory of a step
 * (tf.profile). AUTO-S, σ = 1, Adam, Poisson sampling, the ops path; random MNIST-shaped data.
 * --cnn adds the CNN at batch 64 on MNIST- and CIFAR-shaped inputs (minutes on this backend).
 * Results and the browser estimate: docs/PERFORMANCE.md, "Limits".
 */
import * as tf from '@tensorflow/tfjs';
import { defaultRunConfig, type RunConfig } from '../src/config/runConfig';
import { modelCost } from '../src/config/stepBudget';
import type { DatasetSplit } from '../src/data/types';
import { TrainingRun } from '../src/engine/trainingRun';

interface Case {
  model: RunConfig['model'];
  batch: number;
  shape: number[];
}

const MNIST = [28, 28, 1];
const CASES: Case[] = [
  { model: { preset: 'mlp', hidden: [128], activation: 'relu' }, batch: 256, shape: MNIST },
  { model: { preset: 'mlp', hidden: [128], activation: 'relu' }, batch: 4096, shape: MNIST },
  { model: { preset: 'mlp', hidden: [1024, 1024], activation: 'relu' }, batch: 256, shape: MNIST },
  { model: { preset: 'mlp', hidden: [2048, 1024], activation: 'relu' }, batch: 128, shape: MNIST },
];
const CNN_CASES: Case[] = [
  { model: { preset: 'cnn', activation: 'tanh' }, batch: 64, shape: MNIST },
  { model: { preset: 'cnn', activation: 'tanh' }, batch: 64, shape: [32, 32, 3] },
];

function randomSplit(n: number, shape: number[], classes: number): DatasetSplit {
  const d = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * d).map(() => Math.random());
  const y = Int32Array.from({ length: n }, (_, i) => i % classes);
  const set = { name: 'random', source: 'bench', x, y, inputShape: shape, numClasses: classes };
  return { train: set, test: { ...set, x: x.slice(0, 100 * d), y: y.slice(0, 100) } };
}

async function measure(c: Case): Promise<void> {
  const base = defaultRunConfig();
  const config: RunConfig = {
    ...base,
    model: c.model,
    train: { ...base.train, batchSize: c.batch, epochs: 1 },
    privacy: { ...base.privacy, noise: { mode: 'sigma', sigma: 1 }, accountant: 'rdp' },
    engine: { dpPath: 'ops', backend: 'auto' },
  };
  const cost = modelCost(c.model, c.shape, 10)!;
  const run = TrainingRun.create(config, randomSplit(Math.max(2 * c.batch, 1000), c.shape, 10));
  await run.trainStep();
  const ms: number[] = [];
  let peak = 0;
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    const p = await tf.profile(async () => {
      await run.trainStep();
    });
    ms.push(performance.now() - t0);
    peak = Math.max(peak, p.peakBytes);
  }
  run.dispose();
  const work = cost.multiplyAdds * c.batch;
  const median = (ms[0] + ms[1]) / 2;
  const name = c.model.preset === 'mlp' ? `mlp [${c.model.hidden.join(', ')}]` : c.model.preset;
  console.log(
    `| ${name} | ${c.shape.join('×')} | ${c.batch} | ${cost.parameters.toLocaleString('en-US')} | ${(work / 1e6).toFixed(0)} M | ${median.toFixed(0)} | ${((median / work) * 1e6).toFixed(1)} | ${(peak / 2 ** 20).toFixed(0)} MiB | ${(peak / work).toFixed(2)} |`,
  );
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  console.log(
    '| model | input | batch | parameters | multiply-adds / step | ms / step | ms per M multiply-adds | peak memory | bytes per multiply-add |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of [...CASES, ...(process.argv.includes('--cnn') ? CNN_CASES : [])]) await measure(c);
}

void main();
