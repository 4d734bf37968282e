import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../config/runConfig';
import type { CommandBody, WorkerEvent } from '../protocol/messages';
import { createPlaygroundStore, lastDefined, selectActiveRun } from './playgroundStore';

function setup() {
  const sent: CommandBody[] = [];
  const store = createPlaygroundStore({ send: (c) => sent.push(c) });
  return { store, sent };
}

const metrics = (runId: string, steps: number[]): WorkerEvent => ({
  v: 1,
  type: 'metrics',
  runId,
  points: steps.map((step) => ({ step, epoch: step / 10, loss: 1 / step, batchSize: 32, samplesPerSec: 100, elapsedMs: step * 10, ...(step % 2 ? {} : { testAcc: step / 100 }) })),
});

describe('playground store', () => {
  it('Train creates a run from the draft, then starts it', () => {
    const { store, sent } = setup();
    store.getState().train();
    expect(sent.map((c) => c.type)).toEqual(['create', 'start']);
    const id = store.getState().activeRunId!;
    expect(sent[0]).toMatchObject({ type: 'create', runId: id, config: defaultRunConfig() });
  });

  it('reuses the run while the draft is unchanged, replaces it after an edit', () => {
    const { store, sent } = setup();
    store.getState().train();
    store.getState().pause();
    store.getState().train();
    expect(sent.map((c) => c.type)).toEqual(['create', 'start', 'pause', 'start']);
    const first = store.getState().activeRunId;
    store.getState().setDraft((c) => ({ ...c, seed: 99 }));
    store.getState().train();
    expect(sent.slice(4).map((c) => c.type)).toEqual(['dispose', 'create', 'start']);
    expect(store.getState().activeRunId).not.toBe(first);
    expect(Object.keys(store.getState().runs)).toHaveLength(1);
  });

  it('an invalid draft creates nothing and says why', () => {
    const { store, sent } = setup();
    store.getState().setDraft((c) => ({ ...c, train: { ...c.train, learningRate: -1 } }));
    store.getState().train();
    expect(sent).toEqual([]);
    expect(store.getState().globalError).toContain('train.learningRate');
  });

  it('appends a frame of metric events in order, and Reset clears them', () => {
    const { store } = setup();
    store.getState().train();
    const id = store.getState().activeRunId!;
    store.getState().applyEvents([metrics(id, [1, 2]), metrics(id, [3, 4]), { v: 1, type: 'state', runId: id, state: 'running' }]);
    const run = selectActiveRun(store.getState())!;
    expect(run.metrics.map((m) => m.step)).toEqual([1, 2, 3, 4]);
    expect(run.state).toBe('running');
    expect(lastDefined(run.metrics, 'testAcc')).toBe(0.04);
    store.getState().reset();
    expect(selectActiveRun(store.getState())!.metrics).toEqual([]);
  });

  it('ignores events for unknown runs and reports run errors on the run', () => {
    const { store } = setup();
    store.getState().applyEvents([metrics('nope', [1])]);
    expect(store.getState().runs).toEqual({});
    store.getState().train();
    const id = store.getState().activeRunId!;
    store.getState().applyEvents([{ v: 1, type: 'error', runId: id, message: 'boom' }]);
    expect(selectActiveRun(store.getState())).toMatchObject({ state: 'error', message: 'boom' });
  });
});
