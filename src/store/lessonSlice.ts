import { lessonByName, type Lesson, type LessonOutcome, type LessonRunRecord } from '../lessons';
import type { RunConfig } from '../config/runConfig';
import type { SweepGridDraft } from '../config/urlCodec';
import type { RunId } from '../domain/run';
import type { LaunchSpec } from './runsSlice';
import type { RunView } from './runView';
import { lastDefined } from './selectors';
import type { GetState, SetState } from './sliceTypes';

/**
 * The open lesson (docs/LESSONS.md): which one, the step the student is on, and the runs it launched.
 * In the browser a lesson trains each of its runs once, with the seed in its preset; the outcome is
 * stated for that seed (docs/LESSONS.md and `autoclip lesson` give the 3-seed measurements).
 */
export interface OpenLesson {
  name: string;
  step: number;
  /** Run label → the run launched for it (empty until "Train lesson runs"). */
  runIds: Record<string, RunId>;
}

export interface LessonSlice {
  lesson: OpenLesson | null;
  /** The welcome screen was dismissed (remembered in this browser). */
  introDismissed: boolean;
  openLesson(name: string): void;
  closeLesson(): void;
  setLessonStep(step: number): void;
  trainLesson(): void;
  /** Puts the open lesson's grid in the Sweep panel and its base in the controls (nothing runs yet); false when it has none. */
  loadLessonSweep(): boolean;
  dismissIntro(): void;
}

const INTRO_DISMISSED_KEY = 'autoclip.introDismissed';

/** A run view as the outcome check reads it (the same facts `autoclip lesson` records from the engine's events). */
function lessonRecord(label: string, run: RunView): LessonRunRecord {
  return {
    label,
    seed: run.config.seed,
    config: run.config,
    finalTestAccuracy: lastDefined(run.metrics, 'testAcc') ?? null,
    epsilon: run.config.privacy.enabled ? (lastDefined(run.metrics, 'epsilon') ?? null) : null,
    sigma: run.summary?.sigma ?? null,
    steps: run.metrics.length ? run.metrics[run.metrics.length - 1].step : 0,
    plannedSteps: run.summary?.totalSteps ?? 0,
    stopMessage: run.message ?? null,
    lastStepNorms: run.gradStats ? Array.from(run.gradStats.norms) : null,
  };
}

/** The lesson's outcome once every one of its runs is done; null before (or when a run is gone). */
export function lessonOutcome(lesson: Lesson, open: OpenLesson, runs: Record<RunId, RunView>): LessonOutcome | null {
  const views = lesson.runs.map((r) => [r.label, runs[open.runIds[r.label]]] as const);
  if (views.some(([, v]) => !v || v.state !== 'done')) return null;
  try {
    return lesson.outcome(views.map(([label, v]) => lessonRecord(label, v!)));
  } catch {
    return null; // a run without the facts the check needs (e.g. no evaluation): no verdict rather than a wrong one
  }
}

type Deps = LessonSlice & {
  draft: RunConfig;
  sweepGrid: SweepGridDraft;
  launchRuns(specs: readonly LaunchSpec[]): (RunId | null)[];
};

export function createLessonSlice(set: SetState<Deps>, get: GetState<Deps>, storage?: Pick<Storage, 'getItem' | 'setItem'>): LessonSlice {
  return {
    lesson: null,
    introDismissed: storage?.getItem(INTRO_DISMISSED_KEY) === '1',
    openLesson(name) {
      const lesson = lessonByName(name);
      if (!lesson) return;
      // The lesson's preset becomes the draft (the controls show it), starting from its first run.
      set({ draft: lesson.runs[0].config, lesson: { name, step: 0, runIds: {} } });
    },
    closeLesson: () => set({ lesson: null }),
    setLessonStep(step) {
      const open = get().lesson;
      const lesson = open && lessonByName(open.name);
      if (!open || !lesson) return;
      set({ lesson: { ...open, step: Math.max(0, Math.min(lesson.steps.length - 1, step)) } });
    },
    trainLesson() {
      const open = get().lesson;
      const lesson = open && lessonByName(open.name);
      if (!open || !lesson) return;
      // The runs the lesson pictures draw their gradient plane from their first step on.
      const pictured = new Set(lesson.plane?.runs);
      const ids = get().launchRuns(lesson.runs.map((r) => ({ ...r, planeEvery: pictured.has(r.label) ? lesson.plane?.every : undefined })));
      const runIds: Record<string, RunId> = {};
      lesson.runs.forEach((run, i) => {
        const id = ids[i];
        if (id) runIds[run.label] = id;
      });
      set({ lesson: { ...open, runIds } });
    },
    loadLessonSweep() {
      const open = get().lesson;
      const sweep = open && lessonByName(open.name)?.sweep;
      if (!sweep) return false;
      set({ draft: sweep.base, sweepGrid: { R: [...sweep.R], lr: [...sweep.lr], autoS: false, autoV: false, seeds: 1 } });
      return true;
    },
    dismissIntro() {
      storage?.setItem(INTRO_DISMISSED_KEY, '1');
      set({ introDismissed: true });
    },
  };
}
