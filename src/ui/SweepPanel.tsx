import { useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { clippingFunction } from '../clipping/functions';
import type { SweepConfig } from '../config/sweepConfig';
import { summarizeSweep, sweepCsv, sweepMatrices, type SweepCellResult } from '../sweep';
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

/** Green for high accuracy, red for low: the heatmap's cell colour. */
function heat(acc: number | null): string {
  if (acc === null || Number.isNaN(acc)) return '#f3f4f6';
  const t = Math.max(0, Math.min(1, acc));
  return `hsl(${Math.round(120 * t)}, 65%, ${Math.round(88 - 30 * t)}%)`;
}

/**
 * The paper's claim, measured: Abadi clipping over an R × learning-rate grid beside AUTO-S over the
 * same learning rates, everything else fixed (data, model, seed, σ calibrated once).
 */
export function SweepPanel() {
  const sweep = usePlayground((s) => s.sweep);
  const error = usePlayground((s) => s.sweepError);
  const runSweep = usePlayground((s) => s.runSweep);
  const cancel = usePlayground((s) => s.cancelSweep);
  const grid = usePlayground((s) => s.sweepGrid);
  const setGrid = usePlayground((s) => s.setSweepGrid);
  // The text the user types; valid lists are committed to the store (and so to the URL).
  const [rText, setRText] = useState(grid.R.join(', '));
  const [lrText, setLrText] = useState(grid.lr.join(', '));
  const autoV = grid.autoV;
  const R = parseList(rText);
  const lr = parseList(lrText);
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
  const running = sweep?.status === 'running';
  const results: SweepCellResult[] = useMemo(() => (sweep ? Object.values(sweep.results) : []), [sweep]);
  const summary = useMemo(() => (sweep ? summarizeSweep(sweep.config, results) : null), [sweep, results]);
  const matrices = useMemo(() => (sweep ? sweepMatrices(sweep.config, results) : []), [sweep, results]);
  const total = sweep?.cells.length ?? 0;
  const done = results.length;
  const elapsed = sweep ? (Date.now() - sweep.startedAt) / 1000 : 0;
  const left = done > 0 && running ? (elapsed / done) * (total - done) : null;

  const start = () => {
    if (!R || !lr) return;
    const grid: SweepConfig['clipping'] = { abadi: { R, lr }, 'auto-s': { lr } };
    if (autoV) grid['auto-v'] = { lr };
    runSweep(grid);
  };

  const download = saveFile;

  return (
    <section className="sweep" aria-label="R × learning-rate sweep" data-testid="sweep-panel">
      <header>
        <h2>R-tuned vs automatic: sweep</h2>
        <small className="help">
          Abadi clipping over R × learning rate, AUTO-S over the same learning rates; the current settings are the base (privacy on, σ
          calibrated once).
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
        <label>
          <input type="checkbox" checked={autoV} onChange={(e) => setAutoV(e.target.checked)} disabled={running} /> also AUTO-V
        </label>
        {running ? (
          <button type="button" onClick={cancel}>
            Cancel sweep
          </button>
        ) : (
          <button type="button" onClick={start} disabled={!R || !lr} data-testid="sweep-start">
            Run sweep
          </button>
        )}
      </div>
      {(!R || !lr) && <p className="field-error">Use comma-separated positive numbers for R and learning rates.</p>}
      {error && (
        <p className="field-error" role="alert" data-testid="sweep-error">
          {error}
        </p>
      )}
      {sweep && (
        <>
          <p className="help" data-testid="sweep-progress" data-done={done} data-total={total}>
            {sweep.status === 'running' ? 'Running' : sweep.status === 'done' ? 'Done' : 'Cancelled'}: {done} / {total} cells
            {left !== null ? `, about ${Math.ceil(left)} s left` : ''}. {sweep.privacy.note}; ε = {sweep.privacy.epsilon.toFixed(3)} for
            every cell.
          </p>
          <div className="heatmaps">
            {matrices.map((m) => (
              <table key={m.clipping} className="heatmap" data-testid={`heatmap-${m.clipping}`}>
                <caption>{clippingFunction(m.clipping).label}: test accuracy</caption>
                <thead>
                  <tr>
                    <th scope="col">{clippingFunction(m.clipping).usesR ? 'R \\ lr' : 'lr'}</th>
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
                      {m.testAcc[i].map((acc, j) => (
                        <td key={j} style={{ background: heat(acc) }} data-testid="heatmap-cell" data-filled={acc !== null}>
                          {acc === null ? '…' : Number.isNaN(acc) ? 'diverged' : `${(100 * acc).toFixed(1)}%`}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
          </div>
          <AccuracyVsR results={results} />
          {summary && done > 0 && (
            <p className="sweep-summary" data-testid="sweep-summary">
              {summary.sentence}
            </p>
          )}
          <div className="config-file">
            <button
              type="button"
              disabled={done === 0}
              onClick={() => download('sweep-results.csv', sweepCsv(results), 'text/csv')}
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

/** Accuracy vs R at Abadi's best learning rate, with AUTO-S's best as a horizontal band. */
function AccuracyVsR({ results }: { results: SweepCellResult[] }) {
  const abadi = results.filter((r) => r.clipping === 'abadi' && Number.isFinite(r.testAcc));
  const auto = results.filter((r) => r.clipping === 'auto-s' && Number.isFinite(r.testAcc));
  if (abadi.length === 0) return null;
  const best = abadi.reduce((a, b) => (b.testAcc > a.testAcc ? b : a));
  const line = abadi.filter((r) => r.lr === best.lr).sort((a, b) => (a.R ?? 0) - (b.R ?? 0));
  const autoBest = auto.length ? Math.max(...auto.map((r) => r.testAcc)) : null;
  return (
    <figure className="chart" data-testid="sweep-line">
      <figcaption>Test accuracy vs R at lr = {best.lr} (band: best AUTO-S)</figcaption>
      <div className="chart-body">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={line.map((r) => ({ R: r.R, acc: r.testAcc }))} margin={{ top: 4, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis dataKey="R" type="number" scale="log" domain={['dataMin', 'dataMax']} tick={{ fontSize: 11 }} />
            <YAxis domain={[0, 1]} tick={{ fontSize: 11 }} width={44} tickFormatter={(v: number) => `${Math.round(100 * v)}%`} />
            <Tooltip isAnimationActive={false} formatter={(v) => `${(100 * Number(v)).toFixed(1)}%`} labelFormatter={(r) => `R = ${r}`} />
            {autoBest !== null && (
              <ReferenceArea
                y1={autoBest - 0.005}
                y2={autoBest + 0.005}
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
