import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { caveatSentences, privacyCaveats } from '../config/privacyCaveats';
import type { RunView } from '../store/runView';
import { lastDefined, selectActiveRun, selectEpsilonSpent, selectOrderedRuns } from '../store/selectors';
import { selectSweepChartRuns } from '../store/sweepSlice';
import { BackendBadge } from './BackendBadge';
import { CaveatBadges } from './CaveatBadges';
import { ComparePanel } from './ComparePanel';
import { ClipFactorChart } from './charts/ClipFactorChart';
import { DecisionBoundaries } from './charts/DecisionBoundary';
import { NormHistogram } from './charts/NormHistogram';
import { RunsChart, type ChartRun, type SeriesSpec } from './charts/RunsChart';
import { ControlPanel } from './controls/ControlPanel';
import { SettingsDrawer } from './controls/SettingsDrawer';
import { Inspector } from './Inspector';
import { LessonPanel } from './lessons/LessonPanel';
import { Welcome } from './lessons/Welcome';
import { RunControls } from './RunControls';
import { RunsFileMenu } from './RunsFileMenu';
import { RunsTable } from './RunsTable';
import { ShareMenu } from './ShareMenu';
import { SweepPanel } from './SweepPanel';
import { usePlayground } from './storeContext';
import { Term } from './lessons/Term';
import { clippingFunction } from '../clipping/functions';

const LOSS_SERIES: SeriesSpec[] = [{ key: 'loss', name: 'train loss' }];
const ACCURACY_SERIES: SeriesSpec[] = [
  { key: 'testAcc', name: 'test' },
  { key: 'trainAcc', name: 'train', dashed: true },
];
const EPSILON_SERIES: SeriesSpec[] = [
  { key: 'epsilon', name: 'ε' },
  { key: 'epsilonRdp', name: 'RDP bound', dashed: true },
];
const SIGNAL_NOISE_SERIES: SeriesSpec[] = [
  { key: 'signalNorm', name: 'signal ‖ΣCᵢgᵢ‖' },
  { key: 'noiseNorm', name: 'noise ‖z‖', dashed: true },
];
const NOISE_RATIO_SERIES: SeriesSpec[] = [
  {
    key: 'noiseToSignal',
    name: '‖z‖ / ‖ΣCᵢgᵢ‖',
    value: (p) => (p.noiseNorm !== undefined && p.signalNorm ? p.noiseNorm / p.signalNorm : undefined),
  },
];
const EPSILON_TITLE = 'Privacy spent ε (accountant solid, RDP bound dashed, dotted: projection)';
const EPSILON_HEADING = (
  <>
    Privacy spent <Term k="epsilon">ε</Term> (<Term k="accountants">accountant</Term> solid, RDP bound dashed, dotted: projection)
  </>
);
const SIGNAL_NOISE_VIEWS = {
  norms: {
    title: 'Signal vs noise (clipped sum solid, noise dashed)',
    heading: (
      <>
        Signal vs noise (<Term k="clipping">clipped</Term> sum solid, <Term k="sigma">noise</Term> dashed)
      </>
    ),
    label: 'both norms (log scale)',
    series: SIGNAL_NOISE_SERIES,
    note: 'Log scale: each grid line is ten times the last, so runs of very different sizes stay readable.',
  },
  ratio: {
    title: 'Noise-to-signal ratio',
    heading: (
      <>
        <Term k="sigma">Noise</Term>-to-signal ratio
      </>
    ),
    label: 'noise ÷ signal',
    series: NOISE_RATIO_SERIES,
    note: 'Noise norm over clipped-sum norm in each step (log scale): above 1 the noise is larger than the signal, and only averaging over many steps lets training progress.',
  },
} as const;
const UNIT_DOMAIN: [number, number] = [0, 1];
const percent = (v: number) => `${Math.round(v * 100)}%`;

/** A run's name in legends: its distinguishing settings and its dataset. */
function chartLabel(r: RunView): string {
  const data =
    r.summary?.dataset.name ??
    (r.config.data.source === 'synthetic' ? r.config.data.name : r.config.data.source === 'mnist' ? 'MNIST' : r.config.data.name);
  return `${r.label} · ${data}`;
}

const pct = (v: number | undefined) => (v === undefined ? '—' : `${(100 * v).toFixed(1)}%`);

export function App() {
  const globalError = usePlayground((s) => s.globalError);
  return (
    <div className="app">
      <header className="topbar">
        <h1>
          AutoClip Playground <small>differentially private deep learning, live</small>
        </h1>
        <div className="topbar-right">
          <ShareMenu />
          <BackendBadge />
        </div>
      </header>
      {globalError && (
        <div className="banner-error" role="alert" data-testid="global-error">
          {globalError}
        </div>
      )}
      <Welcome />
      <main className="layout">
        <aside>
          <SettingsDrawer>
            <ControlPanel />
          </SettingsDrawer>
        </aside>
        <section className="workspace">
          <LessonPanel />
          <RunControls />
          <RunSummary />
          <PrivacyNotes />
          <Charts />
          <RunsTable />
          <RunsFileMenu />
          <Inspector />
          <ComparePanel />
          <SweepPanel />
        </section>
      </main>
    </div>
  );
}

/** The noise std in words: σ times the sensitivity of the run's clipping function. */
function noiseStd(config: RunView['config']): string {
  return clippingFunction(config.privacy.clipping).usesR
    ? `σ·R (R = ${config.privacy.maxGradNorm})`
    : 'σ (automatic clipping: sensitivity 1)';
}

function epsilonText(spent: ReturnType<typeof selectEpsilonSpent>): string {
  if (spent === undefined) return '0';
  return spent.bound ? `≤ ${spent.value.toFixed(3)}` : spent.value.toFixed(3);
}

/** Headline numbers of the active run. */
export function RunSummary() {
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
        <dd data-testid="test-acc">{pct(lastDefined(m, 'testAcc'))}</dd>
      </div>
      {run?.config.privacy.enabled && (
        <>
          <div>
            <dt>
              <Term k="epsilon" detail="Here: what this run has spent so far.">
                ε
              </Term>{' '}
              spent
            </dt>
            <dd>
              <span data-testid="epsilon-spent">{epsilonText(selectEpsilonSpent(run))}</span>
              <CaveatBadges config={run.config} />
            </dd>
          </div>
          <div>
            <dt>
              <Term
                k="sigma"
                detail={`This run: the noise added to each step's clipped sum has standard deviation ${noiseStd(run.config)}.`}
              >
                σ
              </Term>
            </dt>
            <dd data-testid="sigma-used">{run.summary?.sigma != null ? run.summary.sigma.toPrecision(4) : '—'}</dd>
          </div>
        </>
      )}
      <div>
        <dt>Samples/s</dt>
        <dd>{last ? Math.round(last.samplesPerSec) : '—'}</dd>
      </div>
      {run?.summary && (
        <div>
          <dt>Data</dt>
          <dd>
            {run.summary.dataset.name} · {run.summary.dataset.trainSize}/{run.summary.dataset.testSize}
          </dd>
        </div>
      )}
    </dl>
  );
}

function PrivacyNotes() {
  const run = usePlayground(selectActiveRun);
  // The caveats come first, from the config's flags (not from free text a stored run may lack).
  const notes = run ? [...caveatSentences(privacyCaveats(run.config)), ...(run.summary?.privacy.notes ?? [])] : [];
  if (!run?.config.privacy.enabled || notes.length === 0) return null;
  return (
    <ul className="notes" data-testid="privacy-notes">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}

/** ε chart projection: from the last accounted step to the planned end of training. */
function projection(r: RunView): ChartRun['projection'] {
  const last = r.metrics[r.metrics.length - 1];
  const totalSteps = r.summary?.totalSteps;
  const projectedEpsilon = r.summary?.privacy.projectedEpsilon;
  if (!r.config.privacy.enabled || projectedEpsilon == null || !totalSteps || !last || last.step >= totalSteps) return undefined;
  const eps = last.epsilon ?? lastDefined(r.metrics, 'epsilon') ?? last.epsilonRdp;
  if (eps === undefined) return undefined;
  const perStepEpoch = last.epoch / last.step;
  return [
    { step: last.step, epoch: last.epoch, value: eps },
    { step: totalSteps, epoch: totalSteps * perStepEpoch, value: projectedEpsilon },
  ];
}

/** A run's learning-rate changes, marked on the loss and accuracy charts at the step they apply from. */
function lrMarks(r: RunView): ChartRun['marks'] {
  return r.lrChanges?.map((c) => ({ step: c.fromStep, label: `lr ${c.lr}` }));
}

/** Whether a run learns from 2D points (its decision boundary can be drawn). */
function isTwoD(r: RunView): boolean {
  const shape = r.summary?.dataset.inputShape;
  return shape ? shape.length === 1 && shape[0] === 2 : r.config.data.source === 'synthetic';
}

export function Charts() {
  const runs = usePlayground(useShallow(selectOrderedRuns));
  const active = usePlayground(selectActiveRun);
  const xAxis = usePlayground((s) => s.xAxis);
  const setXAxis = usePlayground((s) => s.setXAxis);
  // A running sweep's cells are drawn beside the runs (they are private, so in every chart below).
  const sweepRuns = usePlayground(selectSweepChartRuns);
  const chartRuns: ChartRun[] = useMemo(
    () => [...runs.map((r) => ({ id: r.id, label: chartLabel(r), color: r.color, metrics: r.metrics, marks: lrMarks(r) })), ...sweepRuns],
    [runs, sweepRuns],
  );
  const [signalNoiseView, setSignalNoiseView] = useState<keyof typeof SIGNAL_NOISE_VIEWS>('norms');
  const privateRuns: ChartRun[] = useMemo(
    () =>
      runs
        .filter((r) => r.config.privacy.enabled)
        .map((r): ChartRun => ({ id: r.id, label: chartLabel(r), color: r.color, metrics: r.metrics, projection: projection(r) }))
        .concat(sweepRuns),
    [runs, sweepRuns],
  );
  // The same runs without the ε projection (it belongs to the ε chart only).
  const privateChartRuns = useMemo(() => privateRuns.map(({ projection: _projection, ...r }) => r), [privateRuns]);
  const targets = [
    ...new Set(
      runs.flatMap((r) => (r.config.privacy.enabled && r.config.privacy.noise.mode === 'target' ? [r.config.privacy.noise.epsilon] : [])),
    ),
  ];
  const target = targets.length === 1 ? targets[0] : undefined;
  // Stable props, so memoised charts skip renders when nothing they show changed.
  const epsilonReference = useMemo(() => (target !== undefined ? { y: target, label: `target ε = ${target}` } : undefined), [target]);
  const epsilonDomain = useMemo(
    (): [number, (m: number) => number] => [0, (dataMax: number) => Math.max(dataMax, (target ?? 0) * 1.08)],
    [target],
  );
  const is2d = active !== undefined && isTwoD(active);
  const activePrivate = active?.config.privacy.enabled ?? false;

  return (
    <>
      <div className="chart-options" role="group" aria-label="Chart x axis">
        <span>x axis:</span>
        {(['step', 'epoch'] as const).map((x) => (
          <label key={x}>
            <input type="radio" name="x-axis" value={x} checked={xAxis === x} onChange={() => setXAxis(x)} /> {x}
          </label>
        ))}
      </div>
      <div className="charts">
        <RunsChart title="Loss (train batch)" testId="loss-chart" runs={chartRuns} xAxis={xAxis} series={LOSS_SERIES} />
        <RunsChart
          title="Accuracy (test solid, train dashed)"
          testId="accuracy-chart"
          runs={chartRuns}
          xAxis={xAxis}
          yDomain={UNIT_DOMAIN}
          yFormat={percent}
          series={ACCURACY_SERIES}
        />
        {privateRuns.length > 0 && (
          <RunsChart
            title={EPSILON_TITLE}
            heading={EPSILON_HEADING}
            testId="epsilon-chart"
            runs={privateRuns}
            xAxis={xAxis}
            reference={epsilonReference}
            yDomain={epsilonDomain}
            series={EPSILON_SERIES}
          />
        )}
        {privateRuns.length > 0 && (
          <div className="chart-with-options">
            <RunsChart
              title={SIGNAL_NOISE_VIEWS[signalNoiseView].title}
              heading={SIGNAL_NOISE_VIEWS[signalNoiseView].heading}
              testId="signal-noise-chart"
              runs={privateChartRuns}
              xAxis={xAxis}
              series={SIGNAL_NOISE_VIEWS[signalNoiseView].series}
              note={SIGNAL_NOISE_VIEWS[signalNoiseView].note}
              logScale
            />
            <div className="chart-options" role="group" aria-label="Signal vs noise view">
              {(Object.keys(SIGNAL_NOISE_VIEWS) as (keyof typeof SIGNAL_NOISE_VIEWS)[]).map((v) => (
                <label key={v}>
                  <input
                    type="radio"
                    name="signal-noise-view"
                    value={v}
                    checked={signalNoiseView === v}
                    onChange={() => setSignalNoiseView(v)}
                  />{' '}
                  {SIGNAL_NOISE_VIEWS[v].label}
                </label>
              ))}
            </div>
          </div>
        )}
        {activePrivate && active && <NormHistogram stats={active.gradStats} runLabel={chartLabel(active)} runColor={active.color} />}
        {activePrivate && active && <ClipFactorChart stats={active.gradStats} runLabel={chartLabel(active)} runColor={active.color} />}
        {is2d && <DecisionBoundaries runs={runs.filter(isTwoD).map((r) => ({ ...r, label: chartLabel(r) }))} activeId={active?.id} />}
      </div>
    </>
  );
}
