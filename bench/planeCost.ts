/**
 * What the gradient plane costs the steps around it: trains the same run twice from the
 * same seed, once with the view off and once refreshing the plane every EVERY steps, and compares the
 * median time of the steps that do not show the plane (they must cost the same) and of those that do.
 * Run: npx tsx bench/planeCost.ts   (CPU backend; timings are wall-clock on this machine)
 */
import * as tf from '@tensorflow/tfjs';
import { defaultRunConfig, type RunConfig } from '../src/config/runConfig';
import { loadSplit } from '../src/engine/datasets';
import { TrainingRun } from '../src/engine/trainingRun';

const STEPS = 60;
const EVERY = 5;
const WARMUP = 5;

function config(batchSize: number, hidden: number[]): RunConfig {
  const c = defaultRunConfig();
  return {
    ...c,
    data: { source: 'synthetic', name: 'circle', n: 4000, noise: 0.05, testFraction: 0.25 },
    model: { preset: 'mlp', hidden, activation: 'relu' },
    train: { ...c.train, batchSize, epochs: 50, evalEvery: 100000 },
    privacy: { ...c.privacy, secureNoise: false, noise: { mode: 'sigma', sigma: 1 }, accountant: 'rdp', clipping: 'auto-s' },
  };
}

async function time(c: RunConfig, every: number): Promise<{ plain: number[]; shown: number[] }> {
  const split = await loadSplit(c.data, c.seed, { mnist: () => Promise.reject(new Error('unused')) });
  const run = TrainingRun.create(c, split);
  const plain: number[] = [];
  const shown: number[] = [];
  for (let s = 1; s <= STEPS + WARMUP; s++) {
    const plane = every > 0 && s % every === 0;
    const t0 = performance.now();
    await run.trainStep({ plane });
    const dt = performance.now() - t0;
    if (s > WARMUP) (plane ? shown : plain).push(dt);
  }
  run.dispose();
  return { plain, shown };
}

/** Median: robust to the other engineers' jobs on this shared machine. */
const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

await tf.setBackend('cpu');
for (const [b, hidden] of [
  [64, [64, 64]],
  [256, [128, 128]],
] as const) {
  const c = config(b, [...hidden]);
  // Alternate off/on twice so drift on a shared machine hits both alike.
  const off: number[] = [];
  const between: number[] = [];
  const shown: number[] = [];
  for (let round = 0; round < 3; round++) {
    off.push(...(await time(c, 0)).plain);
    const r = await time(c, EVERY);
    between.push(...r.plain);
    shown.push(...r.shown);
  }
  console.log(
    `B=${b} MLP ${hidden.join('×')}: view off ${median(off).toFixed(2)} ms/step (median); view every ${EVERY}: steps between ${median(between).toFixed(2)} ms ` +
      `(ratio ${(median(between) / median(off)).toFixed(3)}), refresh steps ${median(shown).toFixed(2)} ms (×${(median(shown) / median(off)).toFixed(2)})`,
  );
}
