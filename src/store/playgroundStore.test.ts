import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../config/runConfig';
import type { CommandBody, WorkerEvent } from '../protocol/messages';
import { createPlaygroundStore } from './playgroundStore';
import { MAX_RUNS } from './runsSlice';
import { lastDefined, selectActiveRun, selectEpsilonSpent, selectOrderedRuns } from './selectors';

function setup() {
  const sent: CommandBody[] = [];
  const store = createPlaygroundStore({ send: (c) => sent.push(c) });
  return { store, sent };
}

const metrics = (runId: string, steps: number[]): WorkerEvent => ({
  v: 1,
  type: 'metrics',
  runId,
  points: steps.map((step) => ({
    step,
    epoch: step / 10,
    loss: 1 / step,
    batchSize: 32,
    samplesPerSec: 100,
    elapsedMs: step * 10,
    ...(step % 2 ? {} : { testAcc: step / 100 }),
  })),
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

  it('keeps a run that has history when the draft changes, for side-by-side comparison', () => {
    const { store } = setup();
    store.getState().train();
    const first = store.getState().activeRunId!;
    store.getState().applyEvents([metrics(first, [1, 2])]);
    store.getState().setDraft((c) => ({ ...c, train: { ...c.train, learningRate: 0.01 } }));
    store.getState().train();
    const runs = selectOrderedRuns(store.getState());
    expect(runs.map((r) => r.id)[0]).toBe(first);
    expect(runs).toHaveLength(2);
    expect(new Set(runs.map((r) => r.color)).size).toBe(2);
    expect(runs[1].config.train.learningRate).toBe(0.01);
  });

  it(`holds at most ${MAX_RUNS} runs, dropping the oldest idle one`, () => {
    const { store, sent } = setup();
    for (let i = 0; i < MAX_RUNS + 2; i++) {
      store.getState().setDraft((c) => ({ ...c, seed: i }));
      store.getState().train();
      const id = store.getState().activeRunId!;
      store.getState().applyEvents([metrics(id, [1]), { v: 1, type: 'state', runId: id, state: 'paused' }]);
    }
    expect(store.getState().order).toHaveLength(MAX_RUNS);
    expect(sent.filter((c) => c.type === 'dispose')).toHaveLength(2);
  });

  it('ε goes down after a rewind: the ε shown keeps what the steps released before it spent', () => {
    const { store } = setup();
    store.getState().train();
    const id = store.getState().activeRunId!;
    const withEps = (steps: number[]): WorkerEvent => ({
      v: 1,
      type: 'metrics',
      runId: id,
      points: steps.map((step) => ({
        step,
        epoch: step / 10,
        loss: 1,
        batchSize: 32,
        samplesPerSec: 1,
        elapsedMs: step,
        epsilonRdp: 0.1 * step,
        ...(step % 4 ? {} : { epsilon: 0.09 * step }),
      })),
    });
    store.getState().applyEvents([withEps([1, 2, 3, 4, 5, 6, 7, 8])]);
    const before = selectEpsilonSpent(selectActiveRun(store.getState())!)!.value;
    expect(before).toBeCloseTo(0.72, 12);
    // Device loss: back to the checkpoint at step 5; the 8 steps shown stay spent.
    store.getState().applyEvents([{ v: 1, type: 'rewound', runId: id, step: 5, epsilonSpent: 0.75 }]);
    const run = selectActiveRun(store.getState())!;
    expect(run.metrics.map((m) => m.step)).toEqual([1, 2, 3, 4, 5]);
    expect(selectEpsilonSpent(run)).toEqual({ value: 0.75, bound: false });
    // A reset run starts a new account.
    store.getState().reset();
    expect(selectEpsilonSpent(selectActiveRun(store.getState())!)).toBeUndefined();
  });

  it('a run restored after a reload shows the ε of every step it released, past its checkpoint', () => {
    const { store } = setup();
    store.getState().applyEvents([
      {
        v: 1,
        type: 'savedRuns',
        runs: [
          {
            id: 'run-saved',
            config: defaultRunConfig(),
            label: 'AUTO-S',
            color: '#2563eb',
            state: 'running',
            summary: null,
            metrics: [{ step: 1, epoch: 0.1, loss: 1, batchSize: 32, samplesPerSec: 1, elapsedMs: 1, epsilonRdp: 0.2, epsilon: 0.1 }],
            checkpointStep: 1,
            epsilonSpent: 0.4,
          },
        ],
      },
    ]);
    expect(selectEpsilonSpent(store.getState().runs['run-saved'])).toEqual({ value: 0.4, bound: false });
  });
});
