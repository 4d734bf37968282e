/**
 * A lesson's runs on further seeds, in the store, against a fake worker: once the runs on the preset
 * seed are done, the same runs train on the next seeds as background runs (not in the runs table, not
 * saved), a few at a time; then the lesson's own outcome check is stated over all the seeds.
 */
import { describe, expect, it } from 'vitest';
import { lessonByName } from '../lessons';
import type { CommandBody } from '../protocol/messages';
import { isBackgroundRunId } from './ids';
import { LESSON_SEEDS_CONCURRENCY, lessonSeedsOutcome, seedsProgress, seedsStatus } from './lessonSeeds';
import { finishedRunEvents } from '../testing/finishedRunEvents';
import { createPlaygroundStore } from './playgroundStore';

type Create = Extract<CommandBody, { type: 'create' }>;

function setup(name = 'what-r-does') {
  const sent: CommandBody[] = [];
  const store = createPlaygroundStore({ send: (c) => sent.push(c) });
  store.getState().openLesson(name);
  return { store, sent, lesson: lessonByName(name)! };
}

const created = (sent: CommandBody[]) => sent.filter((c): c is Create => c.type === 'create');
const background = (sent: CommandBody[]) => created(sent).filter((c) => isBackgroundRunId(c.runId));
/** Background runs disposed, in order (adding runs may also dispose old runs of the runs table to make room). */
const disposed = (sent: CommandBody[]) => sent.flatMap((c) => (c.type === 'dispose' && isBackgroundRunId(c.runId) ? [c.runId] : []));

/** Test accuracy of each what-r-does run on seeds 1, 2, 3: R = 1 best on every seed, by more than the spread. */
const ACCURACY: Record<string, number[]> = {
  'Abadi R = 0.1': [0.58, 0.57, 0.59],
  'Abadi R = 1': [0.91, 0.93, 0.95],
  'Abadi R = 10': [0.62, 0.6, 0.58],
};

/** Finishes the lesson's runs on the preset seed (seed 1). */
function finishPresetRuns(store: ReturnType<typeof setup>['store'], acc: Record<string, number[]> = ACCURACY) {
  const ids = store.getState().lesson!.runIds;
  for (const [label, id] of Object.entries(ids)) store.getState().applyEvents(finishedRunEvents(id, { testAcc: acc[label][0] }));
}

describe('a lesson on further seeds, in the store', () => {
  it(`starts once the runs on the preset seed are done, ${LESSON_SEEDS_CONCURRENCY} background runs at a time, and states the outcome over 3 seeds`, () => {
    const { store, sent, lesson } = setup();
    store.getState().trainLesson();
    expect(background(sent)).toEqual([]);
    const ids = Object.values(store.getState().lesson!.runIds);
    store.getState().applyEvents(finishedRunEvents(ids[0], { testAcc: 0.58 }));
    expect(store.getState().lesson!.seeds).toBeNull(); // two runs on the preset seed still train
    finishPresetRuns(store);
    expect(background(sent)).toHaveLength(LESSON_SEEDS_CONCURRENCY);
    for (const c of background(sent)) expect(c.ephemeral).toBe(true);
    const order = store.getState().order;
    expect(order).toHaveLength(3); // only the runs on the preset seed are in the runs table

    // The worker trains each background run to its end, in the order they start.
    for (let i = 0; i < 6; i++) {
      const c = background(sent)[i];
      const label = lesson.runs.find((r) => c.display.label.startsWith(`${r.label} · `))!.label;
      expect(c.config).toEqual({ ...lesson.runs.find((r) => r.label === label)!.config, seed: c.config.seed });
      store.getState().applyEvents(finishedRunEvents(c.runId, { testAcc: ACCURACY[label][c.config.seed - 1] }));
    }
    expect(background(sent).map((c) => c.config.seed)).toEqual([2, 2, 2, 3, 3, 3]);
    expect(disposed(sent)).toEqual(background(sent).map((c) => c.runId));
    const seeds = store.getState().lesson!.seeds!;
    expect(seeds.status).toBe('done');
    expect(seedsProgress(seeds)).toEqual({ steps: 6 * 292, planned: 6 * 292, runsDone: 6 });
    const result = lessonSeedsOutcome(lesson, seeds);
    expect(result).not.toBeNull();
    const { outcome } = result as { outcome: { holds: boolean; numbers: Record<string, number> } };
    expect(outcome.holds).toBe(true);
    // Mean and sample sd of 0.91, 0.93, 0.95 are 0.93 and 0.02.
    expect(outcome.numbers['Abadi R = 1 mean']).toBeCloseTo(0.93, 12);
    expect(outcome.numbers['Abadi R = 1 sd']).toBeCloseTo(0.02, 12);
    expect(store.getState().order).toEqual(order);
    expect(store.getState().globalError).toBeNull();
  });

  it('a verdict that holds on the preset seed alone can fail over 3 seeds (what the background seeds are for)', () => {
    const { store, sent, lesson } = setup();
    // On seed 1 R = 1 is best; on seeds 2 and 3 R = 10 is as good: over the seeds R = 1 is not clearly best.
    const acc = { 'Abadi R = 0.1': [0.58, 0.57, 0.59], 'Abadi R = 1': [0.95, 0.88, 0.9], 'Abadi R = 10': [0.62, 0.9, 0.91] };
    store.getState().trainLesson();
    finishPresetRuns(store, acc);
    for (let i = 0; i < 6; i++) {
      const c = background(sent)[i];
      const label = lesson.runs.find((r) => c.display.label.startsWith(`${r.label} · `))!.label;
      store.getState().applyEvents(finishedRunEvents(c.runId, { testAcc: acc[label as keyof typeof acc][c.config.seed - 1] }));
    }
    expect(lesson.outcome(store.getState().lesson!.seeds!.preset).holds).toBe(true);
    const result = lessonSeedsOutcome(lesson, store.getState().lesson!.seeds!) as { outcome: { holds: boolean } };
    expect(result.outcome.holds).toBe(false);
  });

  it('records what the outcome check reads from the events: σ, planned steps, ε, per-sample norms, a stop message', () => {
    const { store, sent } = setup('why-clip');
    store.getState().trainLesson();
    finishPresetRuns(store, { 'Blobs, Abadi R = 1, 3 steps': [1, 1, 1] });
    const c = background(sent)[0];
    const norms = new Float32Array([0.01, 0.02, 4]);
    store
      .getState()
      .applyEvents([
        ...finishedRunEvents(c.runId, { testAcc: 1, steps: 3, sigma: 1.1 }).slice(0, 2),
        { v: 1, type: 'gradStats', runId: c.runId, stats: { step: 3, norms } as never },
        { v: 1, type: 'state', runId: c.runId, state: 'done', message: 'budget reached' },
      ]);
    const record = store.getState().lesson!.seeds!.runs[0].record;
    expect(record).toMatchObject({
      seed: 2,
      sigma: 1.1,
      plannedSteps: 3,
      steps: 3,
      epsilon: 3,
      finalTestAccuracy: 1,
      stopMessage: 'budget reached',
    });
    expect(record.lastStepNorms).toEqual([0.01, 0.02, 4].map(Math.fround));
  });

  it('a failed background run stops the others and gives no verdict over the seeds, without a global error', () => {
    const { store, sent, lesson } = setup();
    store.getState().trainLesson();
    finishPresetRuns(store);
    const [first, second] = background(sent);
    store.getState().applyEvents([{ v: 1, type: 'state', runId: first.runId, state: 'error', message: 'loss diverged' }]);
    const seeds = store.getState().lesson!.seeds!;
    expect(seedsStatus(seeds)).toBe('failed');
    expect(seeds.runs[0]).toMatchObject({ status: 'failed', message: 'loss diverged' });
    expect(disposed(sent)).toEqual([first.runId, second.runId]);
    expect(background(sent)).toHaveLength(LESSON_SEEDS_CONCURRENCY); // nothing more started
    expect(lessonSeedsOutcome(lesson, seeds)).toBeNull();
    store.getState().applyEvents([{ v: 1, type: 'error', runId: second.runId, message: 'late' }]);
    expect(store.getState().globalError).toBeNull();
  });

  it('cancel, training the lesson again and closing it each dispose the background runs in flight', () => {
    const { store, sent } = setup();
    store.getState().trainLesson();
    finishPresetRuns(store);
    store.getState().cancelLessonSeeds();
    expect(store.getState().lesson!.seeds!.status).toBe('cancelled');
    expect(disposed(sent)).toEqual(background(sent).map((c) => c.runId));

    store.getState().trainLesson(); // again: the background seeds wait for the new runs on the preset seed
    expect(store.getState().lesson!.seeds).toBeNull();
    finishPresetRuns(store);
    const inFlight = background(sent)
      .slice(-LESSON_SEEDS_CONCURRENCY)
      .map((c) => c.runId);
    store.getState().trainLesson();
    expect(disposed(sent).slice(-LESSON_SEEDS_CONCURRENCY)).toEqual(inFlight);

    finishPresetRuns(store);
    const last = background(sent)
      .slice(-LESSON_SEEDS_CONCURRENCY)
      .map((c) => c.runId);
    store.getState().closeLesson();
    expect(disposed(sent).slice(-LESSON_SEEDS_CONCURRENCY)).toEqual(last);
    // Events of disposed runs that were already on their way change nothing.
    store.getState().applyEvents(finishedRunEvents(last[0], { testAcc: 0.9 }));
    expect(store.getState().lesson).toBeNull();
  });

  it("keeps the playground's secure randomness on every run, on every seed", () => {
    const { store, sent } = setup();
    store.getState().setDraft((c) => ({ ...c, privacy: { ...c.privacy, secureNoise: true } }));
    store.getState().trainLesson();
    finishPresetRuns(store);
    expect(created(sent).length).toBeGreaterThan(3);
    expect(created(sent).every((c) => c.config.privacy.secureNoise)).toBe(true);
  });
});
