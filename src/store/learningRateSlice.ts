import { learningRateProblem } from '../config/learningRate';
import { latestLearningRate, withLrChange } from '../domain/learningRate';
import type { ConfigSlice } from './configSlice';
import { liveConfig, updateRun, type RunView } from './runView';
import type { RunsSlice } from './runsSlice';
import { sameConfig } from './sameConfig';
import type { CommandSink, GetState, SetState } from './sliceTypes';

export interface LearningRateSlice {
  /**
   * The learning-rate field: sets the draft's rate and, while the active run trains, that run's rate
   * from its next step (the other settings are locked then). A bad rate changes nothing.
   */
  setLearningRate(lr: number): void;
  /**
   * Applies the draft's rate to the paused active run from its next step (see
   * `selectPausedLearningRateRun`); Train then continues that run instead of starting a new one.
   */
  applyLearningRateToPausedRun(): void;
}

type Deps = Pick<RunsSlice, 'runs' | 'activeRunId'> & Pick<ConfigSlice, 'draft'>;

const activeRun = (s: Deps): RunView | undefined => (s.activeRunId ? s.runs[s.activeRunId] : undefined);

/** The run whose learning rate the field changes as it trains: the active run, while it trains. */
export function selectLiveLearningRateRun(s: Deps): RunView | undefined {
  const run = activeRun(s);
  return run?.state === 'running' ? run : undefined;
}

/**
 * The paused active run the draft's learning rate could be applied to: paused mid-run, and the draft
 * is that run with only its learning rate changed. (Train alone starts a new run beside it, for
 * comparison; applying continues this one.)
 */
export function selectPausedLearningRateRun(s: Deps): RunView | undefined {
  const run = activeRun(s);
  if (!run || run.state !== 'paused' || run.metrics.length === 0) return undefined;
  const current = liveConfig(run);
  const lr = s.draft.train.learningRate;
  if (lr === current.train.learningRate) return undefined;
  return sameConfig({ ...current, train: { ...current.train, learningRate: lr } }, s.draft) ? run : undefined;
}

export function createLearningRateSlice(set: SetState<Deps>, get: GetState<Deps>, sink: CommandSink): LearningRateSlice {
  /** Changes `run`'s rate from its next step. */
  const changeRun = (run: RunView, lr: number) => {
    if (run.state === 'paused') {
      // A paused run's next step is known: record the change at once, so the field, Train and the
      // charts agree with the run before the worker answers (its 'learningRate' event confirms it).
      // A training run's record waits for the worker, which knows the step the change lands on.
      set((s) => {
        const runs = { ...s.runs };
        const fromStep = (run.metrics[run.metrics.length - 1]?.step ?? 0) + 1;
        updateRun(runs, run.id, (r) => ({ ...r, lrChanges: withLrChange(r.lrChanges ?? [], fromStep, lr) }));
        return { runs };
      });
    }
    sink.send({ type: 'setLearningRate', runId: run.id, lr });
  };

  return {
    setLearningRate(lr) {
      if (learningRateProblem(lr) !== null) return; // the field shows the message; nothing changes
      const live = selectLiveLearningRateRun(get());
      set((s) => ({ draft: { ...s.draft, train: { ...s.draft.train, learningRate: lr } } }));
      // Setting the rate the run already has is no change to record.
      if (live && lr !== latestLearningRate(live.config.train.learningRate, live.lrChanges)) changeRun(live, lr);
    },
    applyLearningRateToPausedRun() {
      const run = selectPausedLearningRateRun(get());
      if (run) changeRun(run, get().draft.train.learningRate);
    },
  };
}
