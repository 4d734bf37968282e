import { useShallow } from 'zustand/react/shallow';
import { lastDefined, selectActiveRun } from '../store/playgroundStore';
import { BackendBadge } from './BackendBadge';
import { DecisionBoundary } from './charts/DecisionBoundary';
import { MetricChart } from './charts/MetricChart';
import { NormHistogram } from './charts/NormHistogram';
import { ControlPanel } from './controls/ControlPanel';
import { RunControls } from './RunControls';
import { usePlayground } from './storeContext';

const pct = (v: number | undefined) => (v === undefined ? '—' : `${(100 * v).toFixed(1)}%`);

export function App() {
  const globalError = usePlayground((s) => s.globalError);
  return (
    <div className="app">
      <header className="topbar">
        <h1>
          AutoClip Playground <small>differentially private deep learning, live</small>
        </h1>
        <BackendBadge />
      </header>
      {globalError && (
        <div className="banner-error" role="alert" data-testid="global-error">
          {globalError}
        </div>
      )}
      <main className="layout">
        <aside>
          <ControlPanel />
        </aside>
        <section className="workspace">
          <RunControls />
          <RunSummary />
          <PrivacyNotes />
          <Charts />
        </section>
      </main>
    </div>
  );
}

function RunSummary() {
  const run = usePlayground(selectActiveRun);
  const m = run?.metrics ?? [];
  const last = m.length ? m[m.length - 1] : undefined;
  return (
    <dl className="summary" data-testid="run-summary">
      <div>
        <dt>Step</dt>
        <dd>{last?.step ?? 0}</dd>
      </div>
      <div>
        <dt>Epoch</dt>
        <dd>{last ? last.epoch.toFixed(2) : '0'}</dd>
      </div>
      <div>
        <dt>Loss</dt>
        <dd data-testid="last-loss">{last ? last.loss.toFixed(4) : '—'}</dd>
      </div>
      <div>
        <dt>Train acc.</dt>
        <dd>{pct(lastDefined(m, 'trainAcc'))}</dd>
      </div>
      <div>
        <dt>Test acc.</dt>
        <dd>{pct(lastDefined(m, 'testAcc'))}</dd>
      </div>
      <div>
        <dt>Samples/s</dt>
        <dd>{last ? Math.round(last.samplesPerSec) : '—'}</dd>
      </div>
      {run?.config.privacy.enabled && (
        <>
          <div>
            <dt>ε spent</dt>
            <dd data-testid="epsilon-spent">{epsilonText(lastDefined(m, 'epsilon'), last?.epsilonRdp)}</dd>
          </div>
          <div>
            <dt>σ</dt>
            <dd data-testid="sigma-used">{run.sigma != null ? run.sigma.toPrecision(4) : '—'}</dd>
          </div>
        </>
      )}
      {run?.dataset && (
        <div>
          <dt>Data</dt>
          <dd>
            {run.dataset.name} · {run.dataset.trainSize}/{run.dataset.testSize}
          </dd>
        </div>
      )}
    </dl>
  );
}

function epsilonText(eps: number | undefined, rdp: number | undefined): string {
  if (eps !== undefined) return eps.toFixed(3);
  if (rdp !== undefined) return `≤ ${rdp.toFixed(3)}`;
  return '0';
}

function PrivacyNotes() {
  const run = usePlayground(selectActiveRun);
  const notes = run?.privacyNotes ?? [];
  if (!run?.config.privacy.enabled || notes.length === 0) return null;
  return (
    <ul className="notes" data-testid="privacy-notes">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}

function Charts() {
  const { metrics, boundary, preview, is2d, gradStats, isPrivate, target } = usePlayground(
    useShallow((s) => {
      const r = selectActiveRun(s);
      const noise = r?.config.privacy.noise;
      return {
        metrics: r?.metrics ?? EMPTY,
        boundary: r?.boundary,
        preview: r?.preview,
        is2d: r?.dataset ? r.dataset.inputShape.length === 1 && r.dataset.inputShape[0] === 2 : r?.config.data.source === 'synthetic',
        gradStats: r?.gradStats,
        isPrivate: r?.config.privacy.enabled ?? s.draft.privacy.enabled,
        target: noise?.mode === 'target' ? noise.epsilon : undefined,
      };
    }),
  );
  return (
    <div className="charts">
      <MetricChart
        title="Loss"
        testId="loss-chart"
        points={metrics}
        series={[
          { key: 'loss', label: 'train (batch)', color: '#2563eb' },
          { key: 'testLoss', label: 'test', color: '#dc2626' },
        ]}
      />
      <MetricChart
        title="Accuracy"
        testId="accuracy-chart"
        points={metrics}
        yDomain={[0, 1]}
        yFormat={(v) => `${Math.round(v * 100)}%`}
        series={[
          { key: 'trainAcc', label: 'train', color: '#2563eb' },
          { key: 'testAcc', label: 'test', color: '#dc2626' },
        ]}
      />
      {isPrivate && (
        <MetricChart
          title="Privacy spent ε"
          testId="epsilon-chart"
          points={metrics}
          reference={target !== undefined ? { y: target, label: `target ε = ${target}` } : undefined}
          yDomain={[0, (dataMax: number) => Math.max(dataMax, (target ?? 0) * 1.08)]}
          series={[
            { key: 'epsilon', label: 'ε (accountant)', color: '#7c3aed' },
            { key: 'epsilonRdp', label: 'RDP bound', color: '#a78bfa', dashed: true },
          ]}
        />
      )}
      {isPrivate && <NormHistogram stats={gradStats} />}
      {is2d && <DecisionBoundary boundary={boundary} points={preview} />}
    </div>
  );
}

const EMPTY: never[] = [];
