import { describe, expect, it } from 'vitest';
import type { CommandBody, WorkerEvent } from '../protocol/messages';
import { selectLiveLearningRateRun, selectPausedLearningRateRun } from './learningRateSlice';
import { createPlaygroundStore } from './playgroundStore';
import { selectActiveRun } from './selectors';

/** A run that trained 5 steps and paused, as the worker reports it. */
function pausedRun() {
  const sent: CommandBody[] = [];
  const store = createPlaygroundStore({ send: (c) => sent.push(c) });
  store.getState().train();
  const id = store.getState().activeRunId!;
  const points = [1, 2, 3, 4, 5].map((step) => ({ step, epoch: step / 10, loss: 1, batchSize: 32, samplesPerSec: 1, elapsedMs: step }));
  const events: WorkerEvent[] = [
    { v: 1, type: 'state', runId: id, state: 'running' },
    { v: 1, type: 'metrics', runId: id, points },
    { v: 1, type: 'state', runId: id, state: 'paused' },
  ];
  store.getState().applyEvents(events);
  sent.length = 0;
  return { store, sent, id, start: store.getState().draft.train.learningRate };
}

describe('learning rate changed during a run (store)', () => {
  it('while the run trains the field changes it live: the command goes out, the record comes from the worker', () => {
    const { store, sent, id, start } = pausedRun();
    store.getState().applyEvents([{ v: 1, type: 'state', runId: id, state: 'running' }]);
    expect(selectLiveLearningRateRun(store.getState())?.id).toBe(id);
    store.getState().setLearningRate(start / 2);
    expect(sent).toEqual([{ type: 'setLearningRate', runId: id, lr: start / 2 }]);
    expect(store.getState().draft.train.learningRate).toBe(start / 2);
    // Where it lands is the engine's to say (steps go on while the command travels).
    expect(selectActiveRun(store.getState())?.lrChanges).toBeUndefined();
    store.getState().applyEvents([{ v: 1, type: 'learningRate', runId: id, changes: [{ fromStep: 9, lr: start / 2 }] }]);
    expect(selectActiveRun(store.getState())?.lrChanges).toEqual([{ fromStep: 9, lr: start / 2 }]);
    // The run's own config keeps its starting rate; the draft is the run as it now trains.
    expect(selectActiveRun(store.getState())?.config.train.learningRate).toBe(start);
    // The same rate again is no change.
    store.getState().setLearningRate(start / 2);
    expect(sent).toHaveLength(1);
  });

  it('a paused run: the field edits the next run (Train adds a run beside it) unless the rate is applied to the paused run', () => {
    const { store, sent, id, start } = pausedRun();
    expect(selectLiveLearningRateRun(store.getState())).toBeUndefined();
    store.getState().setLearningRate(start / 2);
    expect(sent).toEqual([]);
    expect(selectPausedLearningRateRun(store.getState())?.id).toBe(id);
    store.getState().applyLearningRateToPausedRun();
    expect(sent).toEqual([{ type: 'setLearningRate', runId: id, lr: start / 2 }]);
    expect(selectActiveRun(store.getState())?.lrChanges).toEqual([{ fromStep: 6, lr: start / 2 }]);
    expect(selectPausedLearningRateRun(store.getState())).toBeUndefined();
    // Train now continues the run.
    store.getState().train();
    expect(sent.slice(1)).toEqual([{ type: 'start', runId: id }]);
  });

  it('a paused run and a changed rate, not applied: Train starts a new run beside it (a comparison)', () => {
    const { store, sent, id, start } = pausedRun();
    store.getState().setLearningRate(start / 2);
    store.getState().train();
    expect(sent.map((c) => c.type)).toEqual(['create', 'start']);
    expect(store.getState().activeRunId).not.toBe(id);
    expect(store.getState().runs[id].lrChanges).toBeUndefined();
  });

  it("the worker's record replaces the page's guess; a reset clears it", () => {
    const { store, id, start } = pausedRun();
    store.getState().setLearningRate(start * 2);
    store.getState().applyLearningRateToPausedRun();
    store.getState().applyEvents([{ v: 1, type: 'learningRate', runId: id, changes: [{ fromStep: 7, lr: start * 2 }] }]);
    expect(selectActiveRun(store.getState())?.lrChanges).toEqual([{ fromStep: 7, lr: start * 2 }]);
    store.getState().reset();
    expect(selectActiveRun(store.getState())?.lrChanges).toBeUndefined();
  });

  it('bad input (0, negative, non-finite) changes nothing and sends nothing', () => {
    const { store, sent, start } = pausedRun();
    for (const bad of [0, -1, NaN, Infinity]) store.getState().setLearningRate(bad);
    expect(sent).toEqual([]);
    expect(store.getState().draft.train.learningRate).toBe(start);
    expect(selectActiveRun(store.getState())?.lrChanges).toBeUndefined();
  });

  it('a paused run whose other settings were edited for a new run cannot take the rate', () => {
    const { store, sent } = pausedRun();
    store.getState().setDraft((c) => ({ ...c, seed: c.seed + 1 }));
    store.getState().setLearningRate(0.01);
    expect(selectPausedLearningRateRun(store.getState())).toBeUndefined();
    store.getState().applyLearningRateToPausedRun();
    expect(sent).toEqual([]);
    expect(store.getState().draft.train.learningRate).toBe(0.01);
    expect(selectActiveRun(store.getState())?.lrChanges).toBeUndefined();
  });

  it('selecting a run that changed its rate loads the rate it trains with; saved runs bring their changes', () => {
    const { store, id, start } = pausedRun();
    store.getState().applyEvents([{ v: 1, type: 'learningRate', runId: id, changes: [{ fromStep: 3, lr: start * 3 }] }]);
    store.getState().setDraft((c) => ({ ...c, seed: 5 }));
    store.getState().selectRun(id);
    expect(store.getState().draft.train.learningRate).toBe(start * 3);
    const run = selectActiveRun(store.getState())!;
    store.getState().applyEvents([
      {
        v: 1,
        type: 'savedRuns',
        runs: [
          {
            id: 'run-saved',
            config: run.config,
            label: 'saved',
            color: '#2563eb',
            state: 'paused',
            summary: null,
            metrics: [],
            checkpointStep: 0,
            epsilonSpent: null,
            lrChanges: [{ fromStep: 9, lr: 0.02 }],
          },
        ],
      },
    ]);
    expect(store.getState().runs['run-saved'].lrChanges).toEqual([{ fromStep: 9, lr: 0.02 }]);
  });
});
