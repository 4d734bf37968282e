import { useMemo, useState, type CSSProperties } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { clippingFunction } from '../clipping/functions';
import { MAX_SWEEP_SEEDS, sweepSeeds, type SweepConfig } from '../config/sweepConfig';
import { formatPercentSpread } from '../lessons';
import type { SweepState } from '../store/sweepSlice';
import {
  summarizeSweep,
  sweepCsv,
  sweepMatrices,
  type SweepCellResult,
  type SweepCellStats,
  type SweepMatrix,
  type SweepSummary,
} from '../sweep';
import { saveFile } from './saveFile';
import { usePlayground } from './storeContext';

function parseList(text: string): number[] | null {
  const xs = text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map(Number);
  return xs.length > 0 && xs.every((x) => Number.isFinite(x) && x > 0) ? xs : null;
}

function parseSeedCount(text: string): number | null {
  const k = Number(text);
  return /^\s*\d+\s*$/.test(text) && k >= 1 && k <= MAX_SWEEP_SEEDS ? k : null;
}

/** Lightness of the heatmap's colour at t ∈ [0, 1] of the grid's range: one blue hue, light (low) to dark (high). */
const lightness = (t: number) => 95 - 55 * t;
const heatColor = (t: number) => `hsl(212, 80%, ${lightness(t).toFixed(0)}%)`;
const EMPTY_CELL = '#f3f4f6';

/** Where an accuracy sits in the grid's own range [lo, hi] (1 when every cell is equal). */
function rangePosition(acc: number, [lo, hi]: [number, number]): number {
  return hi > lo ? Math.max(0, Math.min(1, (acc - lo) / (hi - lo))) : 1;
}

/** Lowest and highest mean test accuracy of the finished cells; null before any. */
function gridRange(matrices: readonly SweepMatrix[]): [number, number] | null {
  const means = matrices.flatMap((m) => m.stats.flat().flatMap((s) => (s.testAcc ? [s.testAcc.mean] : [])));
  return means.length ? [Math.min(...means), Math.max(...means)] : null;
}

/** Fraction of each cell's planned seeds done, counting the running ones by their steps, by cell key. */
function cellProgress(sweep: SweepState): Map<string, { fraction: number; running: number }> {
  const out = new Map<string, { fraction: number; running: number }>();
  for (const key of Object.values(sweep.active)) {
    const run = sweep.runs.find((r) => r.runKey === key);
    if (!run) continue;
    const points = sweep.series[key];
    const step = points?.length ? points[points.length - 1].step : 0;
    const cur = out.get(run.key) ?? { fraction: 0, running: 0 };
    out.set(run.key, { fraction: cur.fraction + Math.min(1, step / sweep.privacy.steps), running: cur.running + 1 });
  }
  return out;
}

/**
 * The paper's claim, measured: Abadi clipping over an R × learning-rate grid beside AUTO-S over the
 * same learning rates, everything else fixed (data, model, σ calibrated once), each cell on one or
 * more seeds (mean ± sd).
 */
export function SweepPanel() {
  const sweep = usePlayground((s) => s.sweep);
  const error = usePlayground((s) => s.sweepError);
  const runSweep = usePlayground((s) => s.runSweep);
  const cancel = usePlayground((s) => s.cancelSweep);
  const grid = usePlayground((s) => s.sweepGrid);
  const setGrid = usePlayground((s) => s.setSweepGrid);
  const draftSeed = usePlayground((s) => s.draft.seed);
  // The text the user types; valid values are committed to the store (and so to the URL).
  const [rText, setRText] = useState(grid.R.join(', '));
  const [lrText, setLrText] = useState(grid.lr.join(', '));
  const [seedsText, setSeedsText] = useState(String(grid.seeds));
  // A grid set from outside (a lesson loads its own) replaces the text; the panel's own edits leave it be.
  const [shownGrid, setShownGrid] = useState(grid);
  if (grid !== shownGrid) {
    setShownGrid(grid);
    if (String(parseList(rText)) !== String(grid.R)) setRText(grid.R.join(', '));
    if (String(parseList(lrText)) !== String(grid.lr)) setLrText(grid.lr.join(', '));
    if (parseSeedCount(seedsText) !== grid.seeds) setSeedsText(String(grid.seeds));
  }
  const autoS = grid.autoS !== false;
  const autoV = grid.autoV;
  const R = parseList(rText);
  const lr = parseList(lrText);
  const seeds = parseSeedCount(seedsText);
  const setAutoS = (v: boolean) => setGrid({ ...grid, autoS: v });
  const setAutoV = (v: boolean) => setGrid({ ...grid, autoV: v });
  const editR = (t: string) => {
    setRText(t);
    const xs = parseList(t);
    if (xs) setGrid({ ...grid, R: xs });
  };
  const editLr = (t: string) => {
    setLrText(t);
    const xs = parseList(t);
    if (xs) setGrid({ ...grid, lr: xs });
  };
  const editSeeds = (t: string) => {
    setSeedsText(t);
    const k = parseSeedCount(t);
    if (k) setGrid({ ...grid, seeds: k });
  };
  const running = sweep?.status === 'running';
  const results: SweepCellResult[] = useMemo(() => (sweep ? Object.values(sweep.results) : []), [sweep]);
  const summary = useMemo(() => (sweep ? summarizeSweep(sweep.config, results, { testSize: sweep.testSize }) : null), [sweep, results]);
  const matrices = useMemo(() => (sweep ? sweepMatrices(sweep.config, results) : []), [sweep, results]);
  const range = gridRange(matrices);
  const progress = useMemo(() => (sweep ? cellProgress(sweep) : new Map()), [sweep]);
  const total = sweep?.runs.length ?? 0;
  const done = results.length;
  const seedCount = sweep ? sweepSeeds(sweep.config).length : 1;
  const elapsed = sweep ? (Date.now() - sweep.startedAt) / 1000 : 0;
  const left = done > 0 && running ? (elapsed / done) * (total - done) : null;
  const firstSeed = Math.max(1, draftSeed);

  const start = () => {
    if (!R || !lr || !seeds) return;
    const grid: SweepConfig['clipping'] = { abadi: { R, lr } };
    if (autoS) grid['auto-s'] = { lr };
    if (autoV) grid['auto-v'] = { lr };
    runSweep(grid, seeds);
  };

  const download = saveFile;

  return (
    <section className="sweep" aria-label="R × learning-rate sweep" data-testid="sweep-panel">
      <header>
        <h2>R-tuned vs automatic: sweep</h2>
        <small className="help">
          Abadi clipping over R × learning rate, and (unless unticked) AUTO-S over the same learning rates; the current settings are the
          base (privacy on, σ calibrated once). Each cell trains once per seed and shows mean ± sd.
        </small>
      </header>
      <div className="sweep-form">
        <label>
          R values{' '}
          <input value={rText} onChange={(e) => editR(e.target.value)} disabled={running} data-testid="sweep-r" aria-invalid={!R} />
        </label>
        <label>
          Learning rates{' '}
          <input value={lrText} onChange={(e) => editLr(e.target.value)} disabled={running} data-testid="sweep-lr" aria-invalid={!lr} />
        </label>
        <label className="sweep-seeds">
          Seeds per cell{' '}
          <input
            type="number"
            min={1}
            max={MAX_SWEEP_SEEDS}
            value={seedsText}
            onChange={(e) => editSeeds(e.target.value)}
            disabled={running}
            data-testid="sweep-seeds"
            aria-invalid={!seeds}
            aria-describedby="sweep-seeds-help"
          />
        </label>
        <label>
          <input
            type="checkbox"
            checked={autoS}
            onChange={(e) => setAutoS(e.target.checked)}
            disabled={running}
            data-testid="sweep-auto-s"
          />{' '}
          with AUTO-S
        </label>
        <label>
          <input type="checkbox" checked={autoV} onChange={(e) => setAutoV(e.target.checked)} disabled={running} /> also AUTO-V
        </label>
        {running ? (
          <button type="button" onClick={cancel}>
            Cancel sweep
          </button>
        ) : (
          <button type="button" onClick={start} disabled={!R || !lr || !seeds} data-testid="sweep-start">
            Run sweep
          </button>
        )}
      </div>
      <small className="help" id="sweep-seeds-help">
        {seeds === 1 || !seeds
          ? `One seed (the run's seed ${draftSeed}): the summary's uncertainty is then the test set's sampling error.`
          : `Seeds ${firstSeed} to ${firstSeed + seeds - 1}: every cell trains ${seeds} times, and a difference only counts when it is larger than the seed-to-seed spread.`}
      </small>
      {(!R || !lr) && <p className="field-error">Use comma-separated positive numbers for R and learning rates.</p>}
      {!seeds && <p className="field-error">Seeds per cell must be a whole number from 1 to {MAX_SWEEP_SEEDS}.</p>}
      {error && (
        <p className="field-error" role="alert" data-testid="sweep-error">
          {error}
        </p>
      )}
      {sweep && (
        <>
          <p className="help" data-testid="sweep-progress" data-done={done} data-total={total}>
            {sweep.status === 'running' ? 'Running' : sweep.status === 'done' ? 'Done' : 'Cancelled'}: {done} / {total}{' '}
            {seedCount > 1 ? `runs (${total / seedCount} cells × ${seedCount} seeds)` : 'cells'}
            {left !== null ? `, about ${Math.ceil(left)} s left` : ''}. {sweep.privacy.note}; ε = {sweep.privacy.epsilon.toFixed(3)} for
            every cell.
            {running && ' The running cells are drawn in the charts above.'}
          </p>
          <div className="heatmaps">
            {matrices.map((m) => (
              <Heatmap key={m.clipping} matrix={m} range={range} progress={progress} />
            ))}
          </div>
          {range && <HeatLegend range={range} seeds={seedCount} />}
          <AccuracyVsR matrices={matrices} summary={summary} />
          {summary && done > 0 && (
            <p className="sweep-summary" data-testid="sweep-summary">
              {summary.sentence}
            </p>
          )}
          <div className="config-file">
            <button
              type="button"
              disabled={done === 0}
              onClick={() => download('sweep-results.csv', sweepCsv(sweep.config, results), 'text/csv')}
              data-testid="sweep-csv"
            >
              Export CSV
            </button>
            <button
              type="button"
              disabled={done === 0}
              onClick={() =>
                download(
                  'sweep-results.json',
                  JSON.stringify({ config: sweep.config, privacy: sweep.privacy, results }, null, 2),
                  'application/json',
                )
              }
              data-testid="sweep-json"
            >
              Export JSON
            </button>
            <button type="button" onClick={() => download('sweep.json', JSON.stringify(sweep.config, null, 2), 'application/json')}>
              Download sweep config
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/** One clipping function's grid: each cell's mean ± sd over its seeds, coloured within the sweep's own range, with progress while it runs. */
function Heatmap(props: {
  matrix: SweepMatrix;
  range: [number, number] | null;
  progress: Map<string, { fraction: number; running: number }>;
}) {
  const { matrix: m } = props;
  const fn = clippingFunction(m.clipping);
  return (
    <table className="heatmap" data-testid={`heatmap-${m.clipping}`}>
      <caption>{fn.label}: test accuracy</caption>
      <thead>
        <tr>
          <th scope="col">{fn.usesR ? 'R \\ lr' : 'lr'}</th>
          {m.lr.map((x) => (
            <th key={x} scope="col">
              {x}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {m.R.map((r, i) => (
          <tr key={String(r)}>
            <th scope="row">{r ?? '—'}</th>
            {m.stats[i].map((s) => (
              <HeatCell key={s.key} stats={s} range={props.range} progress={props.progress.get(s.key)} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function HeatCell(props: { stats: SweepCellStats; range: [number, number] | null; progress?: { fraction: number; running: number } }) {
  const { stats: s, range, progress } = props;
  const finished = s.runs.length;
  const complete = finished === s.seeds;
  const t = s.testAcc && range ? rangePosition(s.testAcc.mean, range) : null;
  const perSeed = s.runs.map((r) => `seed ${r.seed}: ${Number.isFinite(r.testAcc) ? `${(100 * r.testAcc).toFixed(1)} %` : 'diverged'}`);
  let style: CSSProperties = {
    background: t === null ? EMPTY_CELL : heatColor(t),
    color: t !== null && lightness(t) < 60 ? 'white' : undefined,
  };
  if (progress && !complete) {
    // A running cell fills from the left as its seeds' steps go by.
    const pct = (100 * (finished + progress.fraction)) / s.seeds;
    const base = t === null ? EMPTY_CELL : heatColor(t);
    style = { ...style, background: `linear-gradient(to right, #fde68a ${pct.toFixed(0)}%, ${base} ${pct.toFixed(0)}%)`, color: undefined };
  }
  return (
    <td
      style={style}
      data-testid="heatmap-cell"
      data-filled={complete}
      data-n={s.testAcc?.n ?? 0}
      data-running={progress ? progress.running : 0}
      title={perSeed.join('; ') || undefined}
    >
      {s.testAcc ? formatPercentSpread(s.testAcc) : finished > 0 ? 'diverged' : progress ? '' : '…'}
      {s.seeds > 1 && finished > 0 && <small className="heat-n"> n={s.testAcc?.n ?? 0}</small>}
      {s.diverged > 0 && s.testAcc && <small className="heat-n"> ({s.diverged} diverged)</small>}
      {progress && !complete && (
        <small className="heat-running" data-testid="heatmap-running">
          {' '}
          running{progress.running > 1
            ? ` ${progress.running} seeds of ${s.seeds}`
            : s.seeds > 1
              ? ` seed ${finished + 1}/${s.seeds}`
              : ''}{' '}
          · {Math.round((100 * (finished + progress.fraction)) / s.seeds)}%
        </small>
      )}
    </td>
  );
}

/** The colour scale: it spans this sweep's lowest to highest cell, not 0–100 %, so small differences show. */
function HeatLegend({ range, seeds }: { range: [number, number]; seeds: number }) {
  const [lo, hi] = range;
  return (
    <figure className="heat-legend" data-testid="sweep-legend" aria-label="Heatmap colour scale">
      <span>{(100 * lo).toFixed(1)} %</span>
      <span
        className="heat-legend-bar"
        style={{ background: `linear-gradient(to right, ${heatColor(0)}, ${heatColor(1)})` }}
        aria-hidden="true"
      />
      <span>{(100 * hi).toFixed(1)} %</span>
      <figcaption>
        Colour: {seeds > 1 ? `mean test accuracy over ${seeds} seeds` : 'test accuracy'}, from the lowest to the highest cell of this sweep
        (not 0 to 100 %). Yellow fill: a cell still running.
      </figcaption>
    </figure>
  );
}

/** Mean accuracy vs R at Abadi's best learning rate, with AUTO-S's best as a band of ± its seed spread. */
function AccuracyVsR({ matrices, summary }: { matrices: readonly SweepMatrix[]; summary: SweepSummary | null }) {
  const abadi = matrices.find((m) => m.clipping === 'abadi');
  const best = summary?.best.abadi;
  if (!abadi || !best) return null;
  const j = abadi.lr.indexOf(best.lr);
  const line = abadi.R.flatMap((R, i) => {
    const s = abadi.stats[i][j].testAcc;
    return s ? [{ R, acc: s.mean }] : [];
  });
  const auto = summary.best['auto-s'];
  const half = auto ? Math.max(auto.spread.sd, 0.005) : 0;
  return (
    <figure className="chart" data-testid="sweep-line">
      <figcaption>
        Test accuracy vs R at lr = {best.lr}
        {auto ? ` (band: best AUTO-S${auto.spread.n > 1 ? ' ± sd' : ''})` : ''}
      </figcaption>
      <div className="chart-body">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={line} margin={{ top: 4, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis dataKey="R" type="number" scale="log" domain={['dataMin', 'dataMax']} tick={{ fontSize: 11 }} />
            <YAxis domain={[0, 1]} tick={{ fontSize: 11 }} width={44} tickFormatter={(v: number) => `${Math.round(100 * v)}%`} />
            <Tooltip isAnimationActive={false} formatter={(v) => `${(100 * Number(v)).toFixed(1)}%`} labelFormatter={(r) => `R = ${r}`} />
            {auto && (
              <ReferenceArea
                y1={auto.testAcc - half}
                y2={auto.testAcc + half}
                fill="#f59e0b"
                fillOpacity={0.35}
                label={{ value: 'AUTO-S', fontSize: 11, position: 'insideRight' }}
              />
            )}
            <Line dataKey="acc" stroke="#2563eb" dot isAnimationActive={false} name="Abadi" />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
