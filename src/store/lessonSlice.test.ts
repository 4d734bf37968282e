import { describe, expect, it } from 'vitest';
import { lessonByName } from '../lessons';
import type { CommandBody } from '../protocol/messages';
import { finishedRunEvents } from '../testing/finishedRunEvents';
import { createPlaygroundStore } from './playgroundStore';

function setup() {
  const sent: CommandBody[] = [];
  const store = createPlaygroundStore({ send: (c) => sent.push(c) });
  return { store, sent };
}

describe('lesson slice', () => {
  it('opening a lesson applies its preset as the draft and starts at step 1', () => {
    const { store } = setup();
    store.getState().openLesson('what-r-does');
    const s = store.getState();
    expect(s.lesson).toMatchObject({ name: 'what-r-does', step: 0, runIds: {}, seeds: null });
    expect(s.draft).toEqual(lessonByName('what-r-does')!.runs[0].config);
    s.setLessonStep(99);
    expect(store.getState().lesson!.step).toBe(lessonByName('what-r-does')!.steps.length - 1);
  });

  it('lesson runs keep secure randomness when the playground has it on (they trained with noise from the shared seed)', () => {
    const { store, sent } = setup();
    store.getState().openLesson('what-r-does');
    store.getState().setDraft((c) => ({ ...c, privacy: { ...c.privacy, secureNoise: true } }));
    store.getState().trainLesson();
    const configs = sent.flatMap((c) => (c.type === 'create' ? [c.config] : []));
    expect(configs).toHaveLength(3);
    for (const config of configs) expect(config.privacy.secureNoise).toBe(true);
  });

  it('an unknown lesson changes nothing', () => {
    const { store } = setup();
    const draft = store.getState().draft;
    store.getState().openLesson('nope');
    expect(store.getState().lesson).toBeNull();
    expect(store.getState().draft).toBe(draft);
  });

  it('"Train lesson runs" creates and starts one labelled run per lesson run; the outcome is checked once all are done', async () => {
    const { store, sent } = setup();
    store.getState().openLesson('what-r-does');
    store.getState().trainLesson();
    const lesson = lessonByName('what-r-does')!;
    const ids = store.getState().lesson!.runIds;
    expect(Object.keys(ids)).toEqual(lesson.runs.map((r) => r.label));
    expect(sent.filter((c) => c.type === 'start')).toHaveLength(3);
    expect(Object.values(ids).map((id) => store.getState().runs[id].label)).toEqual(lesson.runs.map((r) => r.label));

    const { lessonOutcome } = await import('./lessonSlice');
    const outcome = () => lessonOutcome(lesson, store.getState().lesson!, store.getState().runs);
    const acc: Record<string, number> = { 'Abadi R = 0.1': 0.58, 'Abadi R = 1': 0.91, 'Abadi R = 10': 0.62 };
    const [first, ...rest] = lesson.runs;
    store.getState().applyEvents(finishedRunEvents(ids[first.label], { testAcc: acc[first.label] }));
    expect(outcome()).toBeNull(); // two runs still to finish
    for (const r of rest) store.getState().applyEvents(finishedRunEvents(ids[r.label], { testAcc: acc[r.label] }));
    const o = outcome()!;
    expect(o.holds).toBe(true);
    expect(o.numbers['Abadi R = 1 mean']).toBeCloseTo(0.91, 12);
  });

  it('a lesson with a picture asks each pictured run for its gradient plane before starting it; other lessons do not', () => {
    for (const name of ['why-clip', 'automatic-clipping']) {
      const { store, sent } = setup();
      store.getState().openLesson(name);
      store.getState().trainLesson();
      const lesson = lessonByName(name)!;
      const ids = store.getState().lesson!.runIds;
      for (const label of lesson.plane!.runs) {
        const forRun = sent.filter((c) => 'runId' in c && c.runId === ids[label]).map((c) => c.type);
        expect(forRun).toEqual(['create', 'planeLive', 'start']);
        expect(sent).toContainEqual({ type: 'planeLive', runId: ids[label], every: lesson.plane!.every });
      }
    }
    const { store, sent } = setup();
    store.getState().openLesson('what-r-does');
    store.getState().trainLesson();
    expect(sent.filter((c) => c.type === 'planeLive')).toEqual([]);
  });

  it('the R·lr lesson loads its R × lr grid into the Sweep panel without AUTO-S cells, and the sweep trains exactly its cells', () => {
    const { store, sent } = setup();
    store.getState().openLesson('r-lr-coupled');
    const lesson = lessonByName('r-lr-coupled')!;
    expect(store.getState().loadLessonSweep()).toBe(true);
    const s = store.getState();
    expect(s.sweepGrid).toEqual({ R: lesson.sweep!.R, lr: lesson.sweep!.lr, autoS: false, autoV: false, seeds: 3 });
    expect(s.draft).toEqual(lesson.sweep!.base);
    expect(sent).toEqual([]); // loading runs nothing: the student presses Run sweep

    s.runSweep({ abadi: { R: s.sweepGrid.R, lr: s.sweepGrid.lr } }, s.sweepGrid.seeds);
    const runs = store.getState().sweep!.runs;
    // Every cell on the lesson's 3 seeds, from the base's own.
    expect(runs).toHaveLength(lesson.sweep!.R.length * lesson.sweep!.lr.length * 3);
    expect([...new Set(runs.map((r) => r.seed))]).toEqual([1, 2, 3].map((k) => lesson.sweep!.base.seed + k - 1));
    expect(runs.every((r) => r.clipping === 'abadi')).toBe(true);
    // Each cell is the lesson's base with its own R and lr, and the one σ calibrated for the base's ε.
    const base = lesson.sweep!.base;
    for (const cell of runs) {
      expect(cell.config.train).toEqual({ ...base.train, learningRate: cell.lr });
      expect(cell.config.privacy).toMatchObject({ clipping: 'abadi', maxGradNorm: cell.R, noise: { mode: 'sigma' } });
      expect({ ...cell.config, train: base.train, privacy: base.privacy }).toEqual({ ...base, seed: cell.seed });
    }
  });

  it('a lesson without a grid loads nothing into the Sweep panel', () => {
    const { store } = setup();
    store.getState().openLesson('what-r-does');
    const { draft, sweepGrid } = store.getState();
    expect(store.getState().loadLessonSweep()).toBe(false);
    expect(store.getState().draft).toBe(draft);
    expect(store.getState().sweepGrid).toBe(sweepGrid);
  });
});
