import { learningRateProblem } from '../config/learningRate';
import { latestLearningRate, withLrChange } from '../domain/learningRate';
import type { ConfigSlice } from './configSlice';
import { liveConfig, updateRun, type RunView } from './runView';
import type { RunsSlice } from './runsSlice';
import { sameConfig } from './sameConfig';
import type { CommandSink, GetState, SetState } from './sliceTypes';

export interface LearningRateSlice {
  /**
   * The learning-rate field: sets the draft's rate and, when the active run takes it live (see
   * `selectLiveLearningRateRun`), changes that run's rate from its next step. A bad rate changes nothing.
   */
  setLearningRate(lr: number): void;
}

type Deps = Pick<RunsSlice, 'runs' | 'activeRunId'> & Pick<ConfigSlice, 'draft'>;

/**
 * The run whose learning rate the field changes live: the active run while it trains, or while it is
 * paused mid-run and Train would continue it (the draft is its config). Otherwise the field only
 * edits the next run.
 */
export function selectLiveLearningRateRun(s: Deps): RunView | undefined {
  const run = s.activeRunId ? s.runs[s.activeRunId] : undefined;
  if (!run) return undefined;
  if (run.state === 'running') return run;
  return run.state === 'paused' && run.metrics.length > 0 && sameConfig(liveConfig(run), s.draft) ? run : undefined;
}

export function createLearningRateSlice(set: SetState<Deps>, get: GetState<Deps>, sink: CommandSink): LearningRateSlice {
  return {
    setLearningRate(lr) {
      if (learningRateProblem(lr) !== null) return; // the field shows the message; nothing changes
      const live = selectLiveLearningRateRun(get());
      // Setting the rate the run already has is no change to record.
      const run = live && lr !== latestLearningRate(live.config.train.learningRate, live.lrChanges) ? live : undefined;
      set((s) => {
        const draft = { ...s.draft, train: { ...s.draft.train, learningRate: lr } };
        if (!run) return { draft };
        // Recorded at once from the next step shown, so the field, Train and the charts agree with the
        // run before the worker answers; its 'learningRate' event then replaces this with the record.
        const runs = { ...s.runs };
        const fromStep = (run.metrics[run.metrics.length - 1]?.step ?? 0) + 1;
        updateRun(runs, run.id, (r) => ({ ...r, lrChanges: withLrChange(r.lrChanges ?? [], fromStep, lr) }));
        return { draft, runs };
      });
      if (run) sink.send({ type: 'setLearningRate', runId: run.id, lr });
    },
  };
}
