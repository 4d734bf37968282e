import { useShallow } from 'zustand/react/shallow';
import { selectActiveRun, selectDraftProblems } from '../store/playgroundStore';
import { usePlayground } from './storeContext';

/** Train / Pause / Step / Reset for the active run. */
export function RunControls() {
  const run = usePlayground(selectActiveRun);
  const backend = usePlayground((s) => s.backend);
  const train = usePlayground((s) => s.train);
  const pause = usePlayground((s) => s.pause);
  const step = usePlayground((s) => s.step);
  const reset = usePlayground((s) => s.reset);
  const problems = usePlayground(useShallow(selectDraftProblems));
  const running = run?.state === 'running';
  const ready = backend !== null && problems.length === 0;
  const lastStep = run?.metrics.length ? run.metrics[run.metrics.length - 1].step : 0;

  return (
    <div className="run-controls" role="toolbar" aria-label="Run controls">
      {running ? (
        <button type="button" className="primary" onClick={pause} aria-label="Pause">
          ❚❚ Pause
        </button>
      ) : (
        <button type="button" className="primary" onClick={train} disabled={!ready || run?.state === 'done'} aria-label="Train">
          ▶ Train
        </button>
      )}
      <button type="button" onClick={step} disabled={!ready || running} aria-label="Step">
        Step
      </button>
      <button type="button" onClick={reset} disabled={!run} aria-label="Reset">
        Reset
      </button>
      <span className="run-status" data-testid="run-status" data-state={run?.state ?? 'none'}>
        {run ? `${run.state} · step ${lastStep}${run.totalSteps ? ` / ${run.totalSteps}` : ''}` : 'no run yet'}
        {run?.message && <span className="run-message"> — {run.message}</span>}
      </span>
      {problems.length > 0 && (
        <ul className="problems" role="alert" data-testid="config-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
