import { useMemo, useRef } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { SYNTHETIC_SETS, type SyntheticName } from '../config/runConfig';
import {
  COMPARE_LR_AUTO,
  COMPARE_MAX_STEPS,
  COMPARE_MIN_STEPS,
  COMPARE_MOMENTUM,
  COMPARE_R,
  COMPARE_SEEDS,
  compareOptionsProblem,
  compareSettings,
  UNMATCHED_R,
} from '../compare/plan';
import { compareVerdict, finalsBySetting, seedBand, type BandPoint } from '../compare/results';
import { formatPercentSpread } from '../lessons/seedStats';
import { RUN_COLORS } from '../store/runLabels';
import type { Comparison } from '../store/compareSlice';
import { ChartLegend } from './charts/ChartLegend';
import { usePlayground } from './storeContext';
import { useOnScreen, useThrottled } from './useThrottled';

const CHART_REFRESH_MS = 800;
const percent = (v: number) => `${Math.round(100 * v)}%`;

/**
 * Compare: AUTO-S against Abadi clipping at several R under DP-SGD, each R at its matched learning
 * rate, one R unmatched, and a non-private reference, every setting on 3 seeds. The chart draws each
 * setting as the mean over its seeds with a min–max band; the results line says which setting won and
 * whether by more than the seed-to-seed spread.
 */
export function ComparePanel() {
  const hidden = usePlayground((s) => s.hidden.includes('compare'));
  const options = usePlayground((s) => s.compareOptions);
  const setOptions = usePlayground((s) => s.setCompareOptions);
  const comparison = usePlayground((s) => s.comparison);
  const error = usePlayground((s) => s.compareError);
  const start = usePlayground((s) => s.startCompare);
  const cancel = usePlayground((s) => s.cancelCompare);
  const backend = usePlayground((s) => s.backend);
  const secure = usePlayground((s) => s.draft.privacy.secureNoise);
  const settings = useMemo(() => compareSettings(), []);
  if (hidden) return null;
  const problem = compareOptionsProblem(options);
  const running = comparison?.status === 'running';
  const totalRuns = settings.length * COMPARE_SEEDS;

  return (
    <section className="sweep compare" id="compare" aria-label="Compare R vs AUTO-S" data-testid="compare-panel">
      <header>
        <h2>Compare: R-tuned vs automatic clipping, on {COMPARE_SEEDS} seeds</h2>
        <p className="help" data-testid="compare-description">
          {totalRuns} runs ({settings.length} settings × {COMPARE_SEEDS} seeds, {COMPARE_CONCURRENCY_TEXT}) on the {options.dataset} 2D set
          (3,000 training points, MLP 32-32), {options.steps} steps each (
          {(totalRuns * (Number.isFinite(options.steps) ? options.steps : 0)).toLocaleString('en')} steps in all), DP-SGD (SGD, momentum{' '}
          {COMPARE_MOMENTUM}) at ε = 3. Learning rates are matched to R by the paper&apos;s equivalence for small R: lr_Abadi = lr_AUTO / R
          with lr_AUTO = {COMPARE_LR_AUTO} (R = {COMPARE_R.join(', ')} get lr {COMPARE_R.map((R) => COMPARE_LR_AUTO / R).join(', ')}); R ={' '}
          {UNMATCHED_R} also runs at lr {COMPARE_LR_AUTO}, unmatched, and a non-private run is the reference. Noise and sampling:{' '}
          {secure ? 'the browser’s secure generator (as set under Privacy)' : 'from the seeds (seeded teaching mode)'}.
        </p>
      </header>
      <div className="sweep-form">
        <label>
          2D set
          <select
            value={options.dataset}
            onChange={(e) => setOptions({ dataset: e.target.value as SyntheticName })}
            disabled={running}
            data-testid="compare-dataset"
          >
            {SYNTHETIC_SETS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Steps per run
          <input
            type="number"
            min={COMPARE_MIN_STEPS}
            max={COMPARE_MAX_STEPS}
            value={Number.isFinite(options.steps) ? options.steps : ''}
            onChange={(e) => setOptions({ steps: e.target.valueAsNumber })}
            disabled={running}
            aria-invalid={problem !== null}
            data-testid="compare-steps"
          />
        </label>
        {running ? (
          <button type="button" onClick={cancel}>
            Cancel Compare
          </button>
        ) : (
          <button type="button" onClick={start} disabled={!backend || problem !== null} data-testid="compare-start">
            Run Compare
          </button>
        )}
      </div>
      {problem && <p className="field-error">Compare: {problem}.</p>}
      {error && (
        <p className="field-error" role="alert" data-testid="compare-error">
          {error}
        </p>
      )}
      {comparison && <CompareResults comparison={comparison} />}
    </section>
  );
}

/** Worded here, not computed: the slice's concurrency is an implementation detail the user only needs as "two at a time". */
const COMPARE_CONCURRENCY_TEXT = 'two at a time';

function CompareResults({ comparison }: { comparison: Comparison }) {
  const settings = comparison.plan.settings;
  const done = comparison.runs.filter((r) => r.status === 'done').length;
  const failed = comparison.runs.filter((r) => r.status === 'failed');
  const total = comparison.runs.length;
  const stepsPerRun = comparison.plan.options.steps;
  const stepsDone = comparison.runs.reduce((n, r) => n + (r.status === 'done' ? stepsPerRun : r.step), 0);
  const elapsed = (Date.now() - comparison.startedAt) / 1000;
  const left = comparison.status === 'running' && stepsDone > 0 ? (elapsed / stepsDone) * (total * stepsPerRun - stepsDone) : null;
  const finished = comparison.status === 'done';
  const verdict = useMemo(() => {
    if (!finished) return null;
    const finals = finalsBySetting(comparison.runs.filter((r) => r.status === 'done'));
    return settings.every((s) => finals.has(s.label)) ? { finals, ...compareVerdict(settings, finals) } : null;
  }, [finished, comparison.runs, settings]);

  return (
    <>
      <p className="help" data-testid="compare-progress" data-done={done} data-total={total} data-status={comparison.status}>
        {comparison.status === 'running' ? 'Running' : finished ? 'Done' : 'Cancelled'}: {done} / {total} runs
        {left !== null ? `, about ${Math.ceil(left)} s left` : ''}
        {failed.length > 0 ? `; ${failed.length} failed (${failed[0].message})` : ''}.
      </p>
      <BandChart comparison={comparison} />
      {verdict && (
        <div className="compare-verdict">
          <p className="sweep-summary" data-testid="compare-results">
            {verdict.headline}
          </p>
          <ul>
            {verdict.details.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
          <table className="compare-finals" data-testid="compare-finals">
            <caption>
              Final test accuracy over seeds {comparison.runs[0].seed}–{comparison.runs[0].seed + COMPARE_SEEDS - 1}: mean ± sd [min, max]
            </caption>
            <tbody>
              {settings.map((s) => {
                const f = verdict.finals.get(s.label)!;
                return (
                  <tr key={s.label} data-winner={s.label === verdict.winner}>
                    <th scope="row">{s.label}</th>
                    <td>
                      {formatPercentSpread(f)} [{(100 * f.min).toFixed(1)}, {(100 * f.max).toFixed(1)}]
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {finished && !verdict && (
        <p className="field-error" data-testid="compare-incomplete">
          Some setting has no finished run, so there is no verdict; the progress line names the failure.
        </p>
      )}
    </>
  );
}

/** Test accuracy per setting: the mean over seeds as a line, the min–max over seeds as a band. */
function BandChart({ comparison }: { comparison: Comparison }) {
  const ref = useRef<HTMLElement>(null);
  const shown = useThrottled(comparison, CHART_REFRESH_MS, useOnScreen(ref));
  const settings = shown.plan.settings;
  const bands = useMemo(
    () => settings.map((s) => seedBand(shown.runs.filter((r) => r.setting === s.label).map((r) => r.points))),
    [shown, settings],
  );
  const data = useMemo(() => mergeBands(bands), [bands]);
  const legend = settings.map((s, i) => ({ id: s.label, label: s.label, color: RUN_COLORS[i % RUN_COLORS.length] }));
  const drawn = bands.filter((b) => b.length > 0).length;
  return (
    <figure className="chart" ref={ref} data-testid="compare-chart" data-bands={drawn}>
      <figcaption>Test accuracy: mean over {COMPARE_SEEDS} seeds (line) and min–max over seeds (band)</figcaption>
      <div className="chart-body">
        {data.length === 0 ? (
          <p className="help">The curves appear after each setting&apos;s first evaluation on all its seeds.</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={data} margin={{ top: 4, right: 12, bottom: 4, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={{ fontSize: 11 }} />
              <YAxis domain={[0, 1]} tick={{ fontSize: 11 }} width={44} tickFormatter={percent} />
              <Tooltip isAnimationActive={false} formatter={tooltipValue} labelFormatter={(s) => `step ${s}`} />
              {legend.map((s, i) => (
                <Area
                  key={`band-${s.id}`}
                  dataKey={`band${i}`}
                  name={`${s.label} (min–max)`}
                  stroke="none"
                  fill={s.color}
                  fillOpacity={0.15}
                  isAnimationActive={false}
                  connectNulls
                  data-testid="compare-band"
                />
              ))}
              {legend.map((s, i) => (
                <Line
                  key={`mean-${s.id}`}
                  dataKey={`mean${i}`}
                  name={`${s.label} (mean)`}
                  stroke={s.color}
                  strokeWidth={2}
                  dot={false}
                  isAnimationActive={false}
                  connectNulls
                />
              ))}
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </div>
      <ChartLegend runs={legend} />
    </figure>
  );
}

const tooltipValue = (v: unknown) =>
  Array.isArray(v) ? `${(100 * Number(v[0])).toFixed(1)}–${(100 * Number(v[1])).toFixed(1)}%` : `${(100 * Number(v)).toFixed(1)}%`;

/** One row per step: `mean<i>` and `band<i>` ([min, max]) of every setting that evaluated that step on all its seeds. */
function mergeBands(bands: readonly BandPoint[][]): Record<string, number | [number, number]>[] {
  const rows = new Map<number, Record<string, number | [number, number]>>();
  bands.forEach((band, i) => {
    for (const p of band) {
      const row = rows.get(p.step) ?? { step: p.step };
      row[`mean${i}`] = p.mean;
      row[`band${i}`] = [p.min, p.max];
      rows.set(p.step, row);
    }
  });
  return [...rows.values()].sort((a, b) => (a.step as number) - (b.step as number));
}
