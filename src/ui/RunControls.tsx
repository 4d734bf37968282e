import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { selectActiveRun, selectDraftProblems } from '../store/selectors';
import { usePlayground } from './storeContext';
import { warmUpText } from './warmUp';

/** Train / Pause / Step / Reset for the active run, whole-set controls, Compare, and the shortcuts. */
export function RunControls() {
  const run = usePlayground(selectActiveRun);
  const backend = usePlayground((s) => s.backend);
  const runCount = usePlayground((s) => s.order.length);
  const anyRunning = usePlayground((s) => s.order.some((id) => s.runs[id].state === 'running'));
  const a = usePlayground(
    useShallow((s) => ({
      train: s.train,
      pause: s.pause,
      step: s.step,
      reset: s.reset,
      startCompare: s.startCompare,
      startAll: s.startAll,
      pauseAll: s.pauseAll,
      resetAll: s.resetAll,
    })),
  );
  const problems = usePlayground(useShallow(selectDraftProblems));
  const hideCompare = usePlayground((s) => s.hidden.includes('compare'));
  const running = run?.state === 'running';
  const ready = backend !== null && problems.length === 0;
  const lastStep = run?.metrics.length ? run.metrics[run.metrics.length - 1].step : 0;
  const warmUp = run ? warmUpText(run.state, run.metrics) : null;

  useKeyboard({
    toggle: () => (running ? a.pause() : ready && a.train()),
    step: () => !running && ready && a.step(),
  });

  return (
    <div className="run-controls" role="toolbar" aria-label="Run controls">
      {running ? (
        <button type="button" className="primary" onClick={a.pause} aria-label="Pause" title="Pause (space)">
          ❚❚ Pause
        </button>
      ) : (
        <button
          type="button"
          className="primary"
          onClick={a.train}
          disabled={!ready || run?.state === 'done'}
          aria-label="Train"
          title="Train (space)"
        >
          ▶ Train
        </button>
      )}
      <button type="button" onClick={a.step} disabled={!ready || running} aria-label="Step" title="One step (→)">
        Step
      </button>
      <button type="button" onClick={a.reset} disabled={!run} aria-label="Reset">
        Reset
      </button>
      {!hideCompare && (
        <button
          type="button"
          onClick={() => {
            a.startCompare();
            document.getElementById('compare')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
          }}
          disabled={!backend}
          aria-label="Compare"
          title="DP-SGD: AUTO-S against Abadi R = 0.1, 1, 10 at matched learning rates, R = 0.1 unmatched and a non-private run, 3 seeds each (the Compare panel below)"
        >
          Compare R vs AUTO-S
        </button>
      )}
      {runCount > 1 && (
        <span className="all-controls">
          {anyRunning ? (
            <button type="button" onClick={a.pauseAll}>
              Pause all
            </button>
          ) : (
            <button type="button" onClick={a.startAll} disabled={!backend}>
              Start all
            </button>
          )}
          <button type="button" onClick={a.resetAll}>
            Reset all
          </button>
        </span>
      )}
      <span className="run-status" data-testid="run-status" data-state={run?.state ?? 'none'}>
        {run ? `${run.state} · step ${lastStep}${run.summary ? ` / ${run.summary.totalSteps}` : ''}` : 'no run yet'}
        {run?.message && <span className="run-message"> — {run.message}</span>}
        {warmUp && (
          <span className="warm-up" data-testid="warm-up" role="status">
            {' '}
            · {warmUp}
          </span>
        )}
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

/** Space = play/pause, → = one step; ignored while typing in a field. */
function useKeyboard(actions: { toggle: () => void; step: () => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.closest('input, select, textarea, [contenteditable="true"]') || (t.tagName === 'BUTTON' && e.key === ' '))) return;
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === ' ') {
        e.preventDefault();
        actions.toggle();
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        actions.step();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);
}
