import type { RunConfig } from '../config/runConfig';

/**
 * A guided lesson (docs/LESSONS.md): a preset of one or more runs, a few numbered steps that say what to
 * press and which chart to look at, and an outcome check computed from the runs actually trained.
 * The same definition drives the playground's lesson panel and `autoclip lesson`.
 */
export interface Lesson {
  /** URL and CLI id, e.g. "automatic-clipping". */
  name: string;
  title: string;
  /** One or two sentences: what the lesson shows. */
  summary: string;
  /** Where the paper (Bu et al., NeurIPS 2023, arXiv 2206.07136) makes the point. */
  paper: string;
  /** What the student should see, as a sentence (the outcome check decides whether it held). */
  claim: string;
  /** The runs to train; each is trained once per seed (its config's seed replaced). */
  runs: LessonRun[];
  /** Numbered steps (shown 1, 2, …): what to press and what to look at in which chart. */
  steps: string[];
  /** The gradient plane of some of the lesson's runs, shown in the lesson panel; absent: no picture. */
  plane?: LessonPlane;
  /** An R × lr grid the lesson loads into the Sweep panel; absent: none. */
  sweep?: LessonSweep;
  /** What the student should have seen, checked against the runs (all seeds). */
  outcome(records: readonly LessonRunRecord[]): LessonOutcome;
}

/**
 * Which lesson runs draw their batch's gradients in the plane (src/dp/gradientPlane.ts): from their
 * first step, then every `every` steps (a refresh costs a few steps' time at batch 256).
 */
export interface LessonPlane {
  /** Labels of the runs to draw, in the order the picker offers them; the first is shown first. */
  runs: string[];
  every: number;
}

/**
 * A lesson's Abadi R × learning-rate grid for the Sweep panel, without automatic-clipping cells: the
 * base becomes the draft and the panel trains each cell once, on the base's seed. `autoclip sweep`
 * runs the same grid over seeds (src/lessons/sweep.ts writes its file).
 */
export interface LessonSweep {
  base: RunConfig;
  R: number[];
  lr: number[];
}

export interface LessonRun {
  /** Unique within the lesson; names the run in the runs table, the charts and the outcome. */
  label: string;
  config: RunConfig;
}

/** What the outcome check reads from one trained run (one lesson run, one seed). */
export interface LessonRunRecord {
  label: string;
  seed: number;
  config: RunConfig;
  /** Test accuracy at the last evaluation, in [0, 1]; null before any evaluation. */
  finalTestAccuracy: number | null;
  /** ε spent (the run's accountant); null for a non-private run. */
  epsilon: number | null;
  /** Noise multiplier the run trained with; null without privacy. */
  sigma: number | null;
  steps: number;
  plannedSteps: number;
  /** Why the run ended (done, a hard privacy budget, divergence), as the engine says it; null when it just finished. */
  stopMessage: string | null;
  /** ‖g_i‖ of the last step's real rows (private runs); null when not known. */
  lastStepNorms: number[] | null;
}

export interface LessonOutcome {
  /** What should have been seen, as a sentence. */
  claim: string;
  holds: boolean;
  /** The numbers the verdict rests on (accuracies in [0, 1], ratios, ε, σ, steps). */
  numbers: Record<string, number>;
  /** The verdict with its numbers, as the app and the CLI print it. */
  detail: string;
}
