/**
 * Compare in the store, against a fake worker: it trains every planned run a few at a time as
 * background runs (not in the runs table, not saved), collects each run's evaluations, and goes on
 * after a failed run.
 */
import { describe, expect, it } from 'vitest';
import type { CommandBody, WorkerEvent } from '../protocol/messages';
import { COMPARE_CONCURRENCY } from './compareSlice';
import { isBackgroundRunId } from './ids';
import { createPlaygroundStore } from './playgroundStore';

function setup() {
  const sent: CommandBody[] = [];
  const store = createPlaygroundStore({ send: (c) => sent.push(c) });
  return { store, sent };
}

const created = (sent: CommandBody[]) => sent.filter((c): c is Extract<CommandBody, { type: 'create' }> => c.type === 'create');
const evaluated = (runId: string, step: number, testAcc: number): WorkerEvent => ({
  v: 1,
  type: 'metrics',
  runId,
  points: [{ step, epoch: 1, loss: 0.5, batchSize: 256, samplesPerSec: 1, elapsedMs: 1, testAcc }],
});
const done = (runId: string): WorkerEvent => ({ v: 1, type: 'state', runId, state: 'done' });

describe('Compare in the store', () => {
  it(`starts ${COMPARE_CONCURRENCY} background runs at a time, the next when one finishes, and ends with every run's curve`, () => {
    const { store, sent } = setup();
    store.getState().setCompareOptions({ steps: 20 });
    store.getState().startCompare();
    const c = store.getState().comparison!;
    expect(c.runs).toHaveLength(18);
    expect(created(sent)).toHaveLength(COMPARE_CONCURRENCY);
    for (const cmd of created(sent)) {
      expect(cmd.ephemeral).toBe(true);
      expect(isBackgroundRunId(cmd.runId)).toBe(true);
    }
    expect(store.getState().order).toEqual([]); // not in the runs table
    // Finish every run as the worker would, in the order they start.
    for (let i = 0; i < 18; i++) {
      const cmd = created(sent)[i];
      store.getState().applyEvents([evaluated(cmd.runId, 20, 0.5 + i / 100), done(cmd.runId)]);
    }
    const end = store.getState().comparison!;
    expect(end.status).toBe('done');
    expect(end.runs.every((r) => r.status === 'done' && r.points.length === 1)).toBe(true);
    expect(sent.filter((cmd) => cmd.type === 'dispose')).toHaveLength(18);
    expect(created(sent).map((cmd) => cmd.config.train.learningRate)).toEqual(end.plan.runs.map((r) => r.config.train.learningRate));
    expect(store.getState().globalError).toBeNull();
  });

  it('records a failed run without a global error and goes on with the rest', () => {
    const { store, sent } = setup();
    store.getState().startCompare();
    const first = created(sent)[0].runId;
    store.getState().applyEvents([{ v: 1, type: 'error', runId: first, message: 'loss diverged' }]);
    const c = store.getState().comparison!;
    expect(c.runs[0]).toMatchObject({ status: 'failed', message: 'loss diverged' });
    expect(created(sent)).toHaveLength(COMPARE_CONCURRENCY + 1);
    expect(store.getState().globalError).toBeNull();
  });

  it('refuses bad steps with the reason, starting nothing; cancel disposes the runs in flight', () => {
    const { store, sent } = setup();
    store.getState().setCompareOptions({ steps: 0 });
    store.getState().startCompare();
    expect(store.getState().compareError).toMatch(/steps must be/);
    expect(sent).toEqual([]);
    store.getState().setCompareOptions({ steps: 10 });
    store.getState().startCompare();
    store.getState().cancelCompare();
    expect(store.getState().comparison!.status).toBe('cancelled');
    expect(sent.filter((cmd) => cmd.type === 'dispose')).toHaveLength(COMPARE_CONCURRENCY);
  });

  it("keeps the playground's secure randomness", () => {
    const { store, sent } = setup();
    expect(store.getState().draft.privacy.secureNoise).toBe(true);
    store.getState().startCompare();
    expect(created(sent).every((cmd) => cmd.config.privacy.secureNoise)).toBe(true);
  });
});
