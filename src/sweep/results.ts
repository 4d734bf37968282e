import { clippingFunction } from '../clipping/functions';
import { CAVEAT_LABELS, type PrivacyCaveats } from '../config/privacyCaveats';
import { sweepSeeds, type SweepClipping, type SweepConfig } from '../config/sweepConfig';
import type { MetricPoint } from '../domain/metricPoint';
import { compareSentence, formatPercentSpread, summariseSeeds, type SeedSummary } from '../lessons/seedStats';
import { cellKey, sweepCells, sweepClippings, type SweepCell, type SweepPrivacy, type SweepRun } from './plan';

/**
 * What a finished sweep run (one cell, one seed) reports, its cell's mean and spread over seeds, and
 * the views of a (possibly partial) set of results that the CLI and the playground show: the accuracy
 * matrix over (R, lr), the summary sentence, a text or Markdown table and CSV. Pure functions of the
 * results.
 */
export interface SweepCellResult extends PrivacyCaveats {
  /** The cell's key (shared by its seeds). */
  key: string;
  clipping: SweepClipping;
  R: number | null;
  lr: number;
  seed: number;
  testAcc: number;
  trainAcc: number;
  testLoss: number;
  /** ε spent, by the base config's accountant (the same for every cell). */
  epsilon: number;
  sigma: number;
  steps: number;
  /** Seconds the run spent in its training steps (evaluation and waiting for other runs excluded). */
  seconds: number;
  /** Training diverged (the playground's DivergenceWatch: non-finite or exploding loss) and stopped early. */
  diverged: boolean;
}

/** How one run's training ended, as the host that trained it measured it. */
export type SweepCellOutcome = Pick<SweepCellResult, 'testAcc' | 'trainAcc' | 'testLoss' | 'epsilon' | 'steps' | 'seconds' | 'diverged'>;

/** The result of a finished run: its grid point and seed, what training measured, and the σ and caveats every run shares. */
export function sweepCellResult(
  run: Pick<SweepRun, 'key' | 'clipping' | 'R' | 'lr' | 'seed'>,
  privacy: SweepPrivacy,
  outcome: SweepCellOutcome,
): SweepCellResult {
  return {
    key: run.key,
    clipping: run.clipping,
    R: run.R,
    lr: run.lr,
    seed: run.seed,
    ...outcome,
    sigma: privacy.sigma,
    notCoveredByAccountant: privacy.notCoveredByAccountant,
    seededRandomness: privacy.seededRandomness,
  };
}

/**
 * The result of a finished run from the points it reported (the engine evaluates its last step) and
 * whether training diverged: the one reading of a run that the playground and the CLI share. A
 * diverged run has no accuracy (NaN: the table shows "diverged", means leave it out), though the
 * engine evaluated its last step; its steps and ε are those it reached. Seconds are the run's own
 * training time (evaluation and waiting for other runs excluded).
 */
export function sweepRunResult(
  run: Pick<SweepRun, 'key' | 'clipping' | 'R' | 'lr' | 'seed'>,
  privacy: SweepPrivacy,
  points: readonly MetricPoint[],
  diverged: boolean,
): SweepCellResult {
  const last = points.at(-1);
  const evaluation = diverged ? undefined : last;
  return sweepCellResult(run, privacy, {
    testAcc: evaluation?.testAcc ?? NaN,
    trainAcc: evaluation?.trainAcc ?? NaN,
    testLoss: evaluation?.testLoss ?? NaN,
    epsilon: last?.epsilon ?? privacy.epsilon,
    steps: last?.step ?? 0,
    seconds: (last?.elapsedMs ?? 0) / 1000,
    diverged,
  });
}

/** The grid and the seeds of a sweep: what every view of its results needs. */
export type SweepShape = Pick<SweepConfig, 'clipping'> & Partial<Pick<SweepConfig, 'base' | 'seeds'>>;

function seedsOf(sweep: SweepShape): number[] {
  return sweep.base ? sweepSeeds({ base: sweep.base, seeds: sweep.seeds }) : (sweep.seeds ?? []);
}

/** One cell over its seeds: the finished runs, and mean ± sd of those with a finite test accuracy. */
export interface SweepCellStats extends SweepCell {
  /** Finished runs of this cell, in the sweep's seed order. */
  runs: SweepCellResult[];
  /** Seeds planned for the cell. */
  seeds: number;
  /** Over the finished runs with a finite test accuracy; null when there is none (yet). */
  testAcc: SeedSummary | null;
  /** Finished runs that diverged. */
  diverged: number;
}

export function sweepCellStats(sweep: SweepShape, results: readonly SweepCellResult[]): SweepCellStats[] {
  const seeds = seedsOf(sweep);
  return sweepCells(sweep).map((cell) => {
    const runs = results.filter((r) => r.key === cell.key).sort((a, b) => seeds.indexOf(a.seed) - seeds.indexOf(b.seed));
    const finite = runs.map((r) => r.testAcc).filter(Number.isFinite);
    return {
      ...cell,
      runs,
      seeds: Math.max(1, seeds.length),
      testAcc: finite.length ? summariseSeeds(finite) : null,
      diverged: runs.filter((r) => r.diverged).length,
    };
  });
}

/** Test accuracy over the grid of one clipping function; null where a cell has no result (yet). */
export interface SweepMatrix {
  clipping: SweepClipping;
  /** Row values of R; [null] for automatic clipping (one row). */
  R: (number | null)[];
  lr: number[];
  /** Mean test accuracy over the cell's finished seeds: testAcc[row][col]; NaN when every finished seed diverged. */
  testAcc: (number | null)[][];
  /** The cell over its seeds: stats[row][col]. */
  stats: SweepCellStats[][];
}

export function sweepMatrices(sweep: SweepShape, results: readonly SweepCellResult[]): SweepMatrix[] {
  const byKey = new Map(sweepCellStats(sweep, results).map((s) => [s.key, s]));
  return sweepClippings(sweep).map((clipping) => {
    const g = sweep.clipping[clipping]!;
    const R: (number | null)[] = 'R' in g ? [...g.R] : [null];
    const lr = [...g.lr];
    const stats = R.map((r) => lr.map((l) => byKey.get(cellKey(clipping, r, l))!));
    const mean = (s: SweepCellStats) => (s.testAcc ? s.testAcc.mean : s.runs.length ? NaN : null);
    return { clipping, R, lr, testAcc: stats.map((row) => row.map(mean)), stats };
  });
}

interface BestCell {
  clipping: SweepClipping;
  R: number | null;
  lr: number;
  /** Mean test accuracy over the cell's seeds. */
  testAcc: number;
  /** Its mean ± sd over seeds. */
  spread: SeedSummary;
}

export interface SweepSummary {
  best: Partial<Record<SweepClipping, BestCell>>;
  /** Median over R of Abadi's mean test accuracy, at the learning rate of the best Abadi cell. */
  abadiMedianAtBestLr: number | null;
  /** Best AUTO-S minus best Abadi, in percentage points of mean test accuracy. */
  autoSMinusBestAbadi: number | null;
  /** Runs finished and planned (cells × seeds). */
  done: number;
  total: number;
  /** "AUTO-S: 91.2 % (best lr 0.003); best Abadi: 91.0 % at R=0.1, lr=0.003; … AUTO-S is 0.2 points above …" */
  sentence: string;
}

export function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** Shortest faithful rendering of a grid value (0.001, 3e-4 stays readable). */
function num(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function clippingLabel(c: SweepClipping): string {
  return clippingFunction(c).label;
}

/** "Abadi R=0.1 lr=0.003 seed 2": a run in progress lines and chart legends. */
export function describeSweepRun(run: Pick<SweepRun, 'clipping' | 'R' | 'lr' | 'seed'>): string {
  return `${clippingLabel(run.clipping)}${run.R === null ? '' : ` R=${num(run.R)}`} lr=${num(run.lr)} seed ${run.seed}`;
}

/**
 * Standard error of one accuracy measured on `testSize` examples, sqrt(p(1 − p)/n): with one seed,
 * the only uncertainty a sweep can state is the test set's sampling error.
 */
export function testSetStandardError(accuracy: number, testSize: number): number {
  if (!(testSize >= 1) || !Number.isFinite(accuracy))
    throw new RangeError(`testSetStandardError: needs a finite accuracy and testSize ≥ 1`);
  return Math.sqrt((accuracy * (1 - accuracy)) / testSize);
}

/** The uncertainty of a one-seed comparison: the larger test-set standard error of the two, in points. */
function oneSeedUncertainty(a: number, b: number, gapPoints: number, testSize: number): string {
  const se = 100 * Math.max(testSetStandardError(a, testSize), testSetStandardError(b, testSize));
  const verdict = Math.abs(gapPoints) <= se ? 'within it' : 'larger than it';
  return ` With one seed the uncertainty is the test set's: ± ${se.toFixed(1)} points (standard error over ${testSize} test examples), and the difference is ${verdict}.`;
}

/**
 * Best cells (by mean over seeds), the Abadi median at its best lr, and one sentence stating the
 * measured outcome with its uncertainty: the seed-to-seed spread, or with one seed the test set's
 * sampling error when `testSize` is given.
 */
export function summarizeSweep(sweep: SweepShape, results: readonly SweepCellResult[], opts: { testSize?: number } = {}): SweepSummary {
  const matrices = sweepMatrices(sweep, results);
  const best: SweepSummary['best'] = {};
  for (const m of matrices) {
    for (const s of m.stats.flat()) {
      const cur = best[m.clipping];
      if (s.testAcc && (cur === undefined || s.testAcc.mean > cur.testAcc))
        best[m.clipping] = { clipping: m.clipping, R: s.R, lr: s.lr, testAcc: s.testAcc.mean, spread: s.testAcc };
    }
  }
  let abadiMedianAtBestLr: number | null = null;
  const abadi = matrices.find((m) => m.clipping === 'abadi');
  if (abadi && best.abadi) {
    const j = abadi.lr.indexOf(best.abadi.lr);
    const column = abadi.testAcc.map((row) => row[j]).filter((v): v is number => v !== null && Number.isFinite(v));
    abadiMedianAtBestLr = median(column);
  }
  const autoS = best['auto-s'];
  const autoSMinusBestAbadi = autoS && best.abadi ? 100 * (autoS.testAcc - best.abadi.testAcc) : null;
  const seeds = Math.max(1, seedsOf(sweep).length);

  const parts: string[] = [];
  for (const c of ['auto-s', 'auto-v'] as const) {
    const b = best[c];
    if (b) parts.push(`${clippingLabel(c)}: ${formatPercentSpread(b.spread)} (best lr ${num(b.lr)})`);
  }
  for (const c of ['abadi', 'global'] as const) {
    const b = best[c];
    if (b) parts.push(`best ${clippingLabel(c)}: ${formatPercentSpread(b.spread)} at R=${num(b.R!)}, lr=${num(b.lr)}`);
  }
  if (abadiMedianAtBestLr !== null && best.abadi)
    parts.push(`Abadi median over R at lr=${num(best.abadi.lr)}: ${(100 * abadiMedianAtBestLr).toFixed(1)} %`);
  let sentence = parts.length ? `${parts.join('; ')}${seeds > 1 ? ` (mean ± sd over ${seeds} seeds)` : ''}.` : 'No results yet.';
  if (autoS && best.abadi) {
    sentence += ` ${compareSentence('AUTO-S', autoS.spread, 'Abadi at its best (R, lr)', best.abadi.spread)}.`;
    if (autoS.spread.n < 2 && best.abadi.spread.n < 2 && opts.testSize)
      sentence += oneSeedUncertainty(autoS.testAcc, best.abadi.testAcc, autoSMinusBestAbadi!, opts.testSize);
  }
  const cells = matrices.reduce((n, m) => n + m.R.length * m.lr.length, 0);
  const total = cells * seeds;
  const done = matrices.reduce((n, m) => n + m.stats.flat().reduce((k, s) => k + s.runs.length, 0), 0);
  if (done < total)
    sentence += seeds > 1 ? ` (${done} of ${total} runs done: ${cells} cells × ${seeds} seeds.)` : ` (${done} of ${total} cells done.)`;
  const caveats = (Object.keys(CAVEAT_LABELS) as (keyof PrivacyCaveats)[]).filter((k) => results.some((r) => r[k]));
  if (caveats.length)
    sentence += ` Warning: ${caveats.map((k) => CAVEAT_LABELS[k]).join('; ')}, so the ε shown is not a guarantee for these runs.`;
  return { best, abadiMedianAtBestLr, autoSMinusBestAbadi, done, total, sentence };
}

/** A cell as the table shows it: "91.2 %", "91.2 ± 0.4 % n=3", "diverged", "—" before any seed finished. */
function cellText(s: SweepCellStats): string {
  if (s.runs.length === 0) return '—';
  if (!s.testAcc) return 'diverged';
  return s.seeds > 1 ? `${formatPercentSpread(s.testAcc)} n=${s.testAcc.n}` : formatPercentSpread(s.testAcc);
}

/**
 * The accuracy table: one row per (clipping, R), one column per learning rate (the union of the
 * grids' learning rates), "—" for cells not run (yet). With several seeds each cell is mean ± sd and
 * n, the number of seeds it is over. 'markdown' gives a GitHub table.
 */
export function formatSweepTable(sweep: SweepShape, results: readonly SweepCellResult[], format: 'text' | 'markdown' = 'text'): string {
  const matrices = sweepMatrices(sweep, results);
  const seeds = seedsOf(sweep).length;
  const lrs = [...new Set(matrices.flatMap((m) => m.lr))].sort((a, b) => a - b);
  const header = [seeds > 1 ? `test accuracy (mean ± sd over ${seeds} seeds)` : 'test accuracy', ...lrs.map((l) => `lr=${num(l)}`)];
  const rows: string[][] = [];
  for (const m of matrices) {
    m.R.forEach((R, i) => {
      const label = R === null ? clippingLabel(m.clipping) : `${clippingLabel(m.clipping)} R=${num(R)}`;
      rows.push([
        label,
        ...lrs.map((l) => {
          const j = m.lr.indexOf(l);
          return j < 0 ? '' : cellText(m.stats[i][j]);
        }),
      ]);
    });
  }
  if (format === 'markdown') {
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    return [line(header), line(header.map((_, k) => (k === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
  }
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** Quote a CSV field when it needs it (RFC 4180). */
function csvField(v: string | number | null | undefined | boolean): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The per-cell columns; then one `testAcc_seed<s>` column per seed of the sweep. */
const SWEEP_CSV_COLUMNS = [
  'clipping',
  'R',
  'lr',
  'n',
  'testAccMean',
  'testAccSd',
  'trainAccMean',
  'epsilon',
  'sigma',
  'steps',
  'seconds',
  'diverged',
  'notCoveredByAccountant',
  'seededRandomness',
] as const;

/**
 * One row per cell with at least one finished seed: mean, sample sd and n of the test accuracy over
 * its seeds with a finite accuracy, the mean train accuracy, the shared ε, σ and steps, the seconds
 * of all its seeds, how many diverged, the caveat flags, then each seed's test accuracy in its own
 * column (empty while that seed has not finished). R is empty for automatic clipping.
 */
export function sweepCsv(sweep: SweepShape, results: readonly SweepCellResult[]): string {
  const seeds = seedsOf(sweep);
  const rows = sweepCellStats(sweep, results)
    .filter((s) => s.runs.length > 0)
    .map((s) => {
      const first = s.runs[0];
      const trainAcc = s.runs.map((r) => r.trainAcc).filter(Number.isFinite);
      const bySeed = new Map(s.runs.map((r) => [r.seed, r.testAcc]));
      return [
        s.clipping,
        s.R,
        s.lr,
        s.testAcc?.n ?? 0,
        s.testAcc?.mean,
        s.testAcc?.sd,
        trainAcc.length ? trainAcc.reduce((a, b) => a + b, 0) / trainAcc.length : undefined,
        first.epsilon,
        first.sigma,
        first.steps,
        Number(s.runs.reduce((t, r) => t + r.seconds, 0).toFixed(3)),
        s.diverged,
        first.notCoveredByAccountant,
        first.seededRandomness,
        ...seeds.map((seed) => bySeed.get(seed)),
      ]
        .map(csvField)
        .join(',');
    });
  const header = [...SWEEP_CSV_COLUMNS, ...seeds.map((s) => `testAcc_seed${s}`)].join(',');
  return `${[header, ...rows].join('\n')}\n`;
}
