import { describe, expect, it } from 'vitest';
import type { CommandBody, WorkerEvent } from '../protocol/messages';
import { createPlaygroundStore } from './playgroundStore';
import { selectSweepChartRuns } from './sweepSlice';

function setup() {
  const sent: CommandBody[] = [];
  const store = createPlaygroundStore({ send: (c) => sent.push(c) });
  return { store, sent };
}

const grid = { abadi: { R: [0.1], lr: [0.01] }, 'auto-s': { lr: [0.01] } };
/** A metric point at `step` (only step and test accuracy matter to the sweep). */
const STILL = { loss: 1, batchSize: 32, samplesPerSec: 1, elapsedMs: 1, epoch: 0 };
const point = (step: number, testAcc?: number) => ({ ...STILL, step, testAcc });

describe('sweep slice with seeds', () => {
  it('runs each cell once per seed from the draft seed, shows the running runs in the charts and folds each seed into its cell', () => {
    const { store, sent } = setup();
    store.getState().setDraft((c) => ({ ...c, seed: 5 }));
    store.getState().runSweep(grid, 2);
    const sw = store.getState().sweep!;
    expect(store.getState().sweepError).toBeNull();
    expect(sw.runs.map((r) => r.runKey)).toEqual([
      'auto-s:lr=0.01:seed=5',
      'auto-s:lr=0.01:seed=6',
      'abadi:R=0.1:lr=0.01:seed=5',
      'abadi:R=0.1:lr=0.01:seed=6',
    ]);
    // Two in flight, each with its own seed and its own colour.
    const creates = sent.filter((c) => c.type === 'create');
    expect(creates.map((c) => c.type === 'create' && c.config.seed)).toEqual([5, 6]);
    const [a] = creates.map((c) => (c.type === 'create' ? c.runId : ''));
    const ev = (e: WorkerEvent) => store.getState().applyEvents([e]);
    ev({ v: 1, type: 'metrics', runId: a, points: [point(1), point(2)] });
    const charts = selectSweepChartRuns(store.getState());
    expect(charts.map((r) => r.label)).toEqual(['sweep: AUTO-S lr=0.01 seed 5 · MNIST', 'sweep: AUTO-S lr=0.01 seed 6 · MNIST']);
    expect(charts[0].metrics).toHaveLength(2);
    expect(new Set(charts.map((r) => r.color)).size).toBe(2);
    // Same state, same array (React selectors must not see a change).
    expect(selectSweepChartRuns(store.getState())).toBe(charts);

    ev({ v: 1, type: 'metrics', runId: a, points: [point(3, 0.8)] });
    ev({ v: 1, type: 'state', runId: a, state: 'done' });
    const after = store.getState().sweep!;
    expect(after.results['auto-s:lr=0.01:seed=5']).toMatchObject({ key: 'auto-s:lr=0.01', seed: 5, testAcc: 0.8, steps: 3 });
    expect(after.series['auto-s:lr=0.01:seed=5']).toBeUndefined();
    // The next run (Abadi, seed 5) took its place, in the charts too.
    expect(sent.filter((c) => c.type === 'create')).toHaveLength(3);
    expect(selectSweepChartRuns(store.getState()).map((r) => r.label)).toEqual([
      'sweep: AUTO-S lr=0.01 seed 6 · MNIST',
      'sweep: Abadi R=0.1 lr=0.01 seed 5 · MNIST',
    ]);
  });

  it('refuses a bad seed count with the reason and starts nothing', () => {
    const { store, sent } = setup();
    store.getState().runSweep(grid, 11);
    expect(store.getState().sweepError).toBe('seeds allows at most 10 seeds');
    expect(store.getState().sweep).toBeNull();
    expect(sent).toEqual([]);
  });
});

describe('sweep slice: a diverged run', () => {
  it('shows as diverged (no accuracy), with the steps and ε it reached, though the engine evaluated its last step', () => {
    const { store, sent } = setup();
    store.getState().runSweep({ 'auto-s': { lr: [0.01, 100] } }, 1);
    const [ok, diverged] = sent.flatMap((c) => (c.type === 'create' ? [c.runId] : []));
    const evaluated = { trainAcc: 0.5, testLoss: NaN, epsilon: 0.4 };
    store.getState().applyEvents([
      { v: 1, type: 'metrics', runId: ok, points: [{ ...point(30, 0.9), trainAcc: 0.91, testLoss: 0.3, epsilon: 2 }] },
      { v: 1, type: 'state', runId: ok, state: 'done' },
      { v: 1, type: 'metrics', runId: diverged, points: [{ ...point(7, 0.5), ...evaluated }] },
      { v: 1, type: 'state', runId: diverged, state: 'error', message: 'Training diverged at step 7', divergedAt: 7 },
    ]);
    const results = Object.values(store.getState().sweep!.results);
    expect(results.find((r) => !r.diverged)).toMatchObject({ testAcc: 0.9, trainAcc: 0.91, testLoss: 0.3, epsilon: 2, steps: 30 });
    const d = results.find((r) => r.diverged)!;
    expect(d).toMatchObject({ steps: 7, epsilon: 0.4 });
    expect([d.testAcc, d.trainAcc, d.testLoss].every(Number.isNaN)).toBe(true);
  });
});
