import { useShallow } from 'zustand/react/shallow';
import type { RunView } from '../store/runView';
import { lastDefined, selectEpsilonSpent, selectOrderedRuns } from '../store/selectors';
import { CaveatBadges } from './CaveatBadges';
import { usePlayground } from './storeContext';

const pct = (v: number | undefined) => (v === undefined ? '—' : `${(100 * v).toFixed(1)}%`);

function summary(r: RunView) {
  const m = r.metrics;
  const last = m[m.length - 1];
  const seconds = last ? last.elapsedMs / 1000 : 0;
  const samples = m.reduce((n, p) => n + p.batchSize, 0);
  return {
    steps: last?.step ?? 0,
    testAcc: lastDefined(m, 'testAcc'),
    epsilon: selectEpsilonSpent(r)?.value,
    seconds,
    samplesPerSec: seconds > 0 ? samples / seconds : undefined,
  };
}

/** A run's learning-rate schedule when it was changed mid-run: "lr 0.1 → 0.4 from step 31 → …". */
function LearningRateHistory({ run }: { run: RunView }) {
  if (!run.lrChanges?.length) return null;
  return (
    <small className="lr-history" data-testid="run-lr-history">
      lr {run.config.train.learningRate}
      {run.lrChanges.map((c) => ` → ${c.lr} from step ${c.fromStep}`).join('')}
    </small>
  );
}

/** Every run with its colour (the charts' legend), its summary and its own controls. */
export function RunsTable() {
  const runs = usePlayground(useShallow(selectOrderedRuns));
  const activeRunId = usePlayground((s) => s.activeRunId);
  const a = usePlayground(
    useShallow((s) => ({
      start: s.startRun,
      pause: s.pauseRun,
      step: s.stepRun,
      reset: s.resetRun,
      remove: s.removeRun,
      select: s.selectRun,
    })),
  );
  if (runs.length === 0) return null;
  return (
    <div className="table-scroll">
      <table className="runs-table" data-testid="runs-table">
        <caption>Runs</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">State</th>
            <th scope="col">Steps</th>
            <th scope="col">Test acc.</th>
            <th scope="col">ε</th>
            <th scope="col">σ</th>
            <th scope="col" className="optional-col">
              Time
            </th>
            <th scope="col" className="optional-col">
              Samples/s
            </th>
            <th scope="col">
              <span className="sr-only">Controls</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const s = summary(r);
            const running = r.state === 'running';
            return (
              <tr key={r.id} className={r.id === activeRunId ? 'active' : undefined} data-testid="run-row" data-run-id={r.id}>
                <th scope="row">
                  <button
                    type="button"
                    className="run-name"
                    onClick={() => a.select(r.id)}
                    title="Show this run's settings and per-run charts"
                  >
                    <span className="swatch" style={{ background: r.color }} aria-hidden />
                    {r.label}
                  </button>
                  <LearningRateHistory run={r} />
                </th>
                <td>{r.state}</td>
                <td>
                  {s.steps}
                  {r.summary ? ` / ${r.summary.totalSteps}` : ''}
                </td>
                <td data-testid="run-test-acc">{pct(s.testAcc)}</td>
                <td>
                  <span data-testid="run-epsilon">{s.epsilon === undefined ? '—' : s.epsilon.toFixed(2)}</span>
                  <CaveatBadges config={r.config} />
                </td>
                <td>{r.config.privacy.enabled && r.summary?.sigma != null ? r.summary.sigma.toPrecision(3) : '—'}</td>
                <td className="optional-col">{s.seconds.toFixed(1)} s</td>
                <td className="optional-col">{s.samplesPerSec === undefined ? '—' : Math.round(s.samplesPerSec)}</td>
                <td className="row-controls">
                  {running ? (
                    <button type="button" onClick={() => a.pause(r.id)} aria-label={`Pause ${r.label}`}>
                      ❚❚
                    </button>
                  ) : (
                    <button
                      type="button"
                      onClick={() => a.start(r.id)}
                      disabled={r.state === 'done' || r.state === 'error'}
                      aria-label={`Start ${r.label}`}
                    >
                      ▶
                    </button>
                  )}
                  <button type="button" onClick={() => a.step(r.id)} disabled={running} aria-label={`Step ${r.label}`} title="One step">
                    +1
                  </button>
                  <button type="button" onClick={() => a.reset(r.id)} aria-label={`Reset ${r.label}`}>
                    ↺
                  </button>
                  <button type="button" onClick={() => a.remove(r.id)} aria-label={`Remove ${r.label}`}>
                    ✕
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
