import { clippingFunction } from '../clipping/functions';
import { CAVEAT_LABELS, type PrivacyCaveats } from '../config/privacyCaveats';
import type { SweepClipping, SweepConfig } from '../config/sweepConfig';
import { cellKey, sweepClippings, type SweepCell, type SweepPrivacy } from './plan';

/**
 * What a finished sweep cell reports, and the views of a (possibly partial) set of results that the
 * CLI and the playground show: the accuracy matrix over (R, lr), the summary sentence, a text or
 * Markdown table and CSV. Pure functions of the results.
 */
export interface SweepCellResult extends PrivacyCaveats {
  key: string;
  clipping: SweepClipping;
  R: number | null;
  lr: number;
  testAcc: number;
  trainAcc: number;
  testLoss: number;
  /** ε spent, by the base config's accountant (the same for every cell). */
  epsilon: number;
  sigma: number;
  steps: number;
  /** Wall-clock seconds the cell took (training and evaluation). */
  seconds: number;
  /** Training diverged (the playground's DivergenceWatch: non-finite or exploding loss) and stopped early. */
  diverged: boolean;
}

/** How one cell's training ended, as the host that trained it measured it. */
export type SweepCellOutcome = Pick<SweepCellResult, 'testAcc' | 'trainAcc' | 'testLoss' | 'epsilon' | 'steps' | 'seconds' | 'diverged'>;

/** The result of a finished cell: its grid point, what training measured, and the σ and caveats every cell shares. */
export function sweepCellResult(
  cell: Pick<SweepCell, 'key' | 'clipping' | 'R' | 'lr'>,
  privacy: SweepPrivacy,
  outcome: SweepCellOutcome,
): SweepCellResult {
  return {
    key: cell.key,
    clipping: cell.clipping,
    R: cell.R,
    lr: cell.lr,
    ...outcome,
    sigma: privacy.sigma,
    notCoveredByAccountant: privacy.notCoveredByAccountant,
    seededRandomness: privacy.seededRandomness,
  };
}

/** Test accuracy over the grid of one clipping function; null where a cell has no result (yet). */
export interface SweepMatrix {
  clipping: SweepClipping;
  /** Row values of R; [null] for automatic clipping (one row). */
  R: (number | null)[];
  lr: number[];
  /** testAcc[row][col]. */
  testAcc: (number | null)[][];
}

export function sweepMatrices(sweep: Pick<SweepConfig, 'clipping'>, results: readonly SweepCellResult[]): SweepMatrix[] {
  const byKey = new Map(results.map((r) => [r.key, r]));
  return sweepClippings(sweep).map((clipping) => {
    const g = sweep.clipping[clipping]!;
    const R: (number | null)[] = 'R' in g ? [...g.R] : [null];
    const lr = [...g.lr];
    return { clipping, R, lr, testAcc: R.map((r) => lr.map((l) => byKey.get(cellKey(clipping, r, l))?.testAcc ?? null)) };
  });
}

export interface BestCell {
  clipping: SweepClipping;
  R: number | null;
  lr: number;
  testAcc: number;
}

export interface SweepSummary {
  /** Best cell per clipping function that has results. */
  best: Partial<Record<SweepClipping, BestCell>>;
  /** Median over R of Abadi's test accuracy at the best Abadi cell's lr (what an untuned R gives). */
  abadiMedianAtBestLr: number | null;
  /** Best AUTO-S minus best Abadi test accuracy, in percentage points. */
  autoSMinusBestAbadi: number | null;
  done: number;
  total: number;
  /** "AUTO-S: 91.2% (best lr 0.003); best Abadi: 91.0% at R=0.1, lr=0.003; Abadi median over R at lr=0.003: 85.3%." */
  sentence: string;
}

export function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** Shortest faithful rendering of a grid value (0.001, 3e-4 stays readable). */
export function num(x: number): string {
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

/** Best cells, the Abadi median at its best lr, and one sentence stating the measured outcome. */
export function summarizeSweep(sweep: Pick<SweepConfig, 'clipping'>, results: readonly SweepCellResult[]): SweepSummary {
  const matrices = sweepMatrices(sweep, results);
  const best: SweepSummary['best'] = {};
  for (const m of matrices) {
    m.R.forEach((R, i) =>
      m.lr.forEach((lr, j) => {
        const acc = m.testAcc[i][j];
        const cur = best[m.clipping];
        if (acc !== null && (cur === undefined || acc > cur.testAcc)) best[m.clipping] = { clipping: m.clipping, R, lr, testAcc: acc };
      }),
    );
  }
  let abadiMedianAtBestLr: number | null = null;
  const abadi = matrices.find((m) => m.clipping === 'abadi');
  if (abadi && best.abadi) {
    const j = abadi.lr.indexOf(best.abadi.lr);
    const column = abadi.testAcc.map((row) => row[j]).filter((v): v is number => v !== null);
    abadiMedianAtBestLr = median(column);
  }
  const autoSMinusBestAbadi = best['auto-s'] && best.abadi ? 100 * (best['auto-s'].testAcc - best.abadi.testAcc) : null;

  const parts: string[] = [];
  for (const c of ['auto-s', 'auto-v'] as const) {
    const b = best[c];
    if (b) parts.push(`${clippingLabel(c)}: ${pct(b.testAcc)} (best lr ${num(b.lr)})`);
  }
  for (const c of ['abadi', 'global'] as const) {
    const b = best[c];
    if (b) parts.push(`best ${clippingLabel(c)}: ${pct(b.testAcc)} at R=${num(b.R!)}, lr=${num(b.lr)}`);
  }
  if (abadiMedianAtBestLr !== null && best.abadi)
    parts.push(`Abadi median over R at lr=${num(best.abadi.lr)}: ${pct(abadiMedianAtBestLr)}`);
  let sentence = parts.length ? `${parts.join('; ')}.` : 'No results yet.';
  if (autoSMinusBestAbadi !== null) {
    const d = Math.abs(autoSMinusBestAbadi).toFixed(2);
    sentence +=
      Math.abs(autoSMinusBestAbadi) < 0.005
        ? ' AUTO-S equals the best tuned R.'
        : autoSMinusBestAbadi > 0
          ? ` AUTO-S is ${d} points above the best tuned R.`
          : ` AUTO-S is ${d} points below the best tuned R.`;
  }
  const total = matrices.reduce((n, m) => n + m.R.length * m.lr.length, 0);
  const done = matrices.reduce((n, m) => n + m.testAcc.flat().filter((v) => v !== null).length, 0);
  if (done < total) sentence += ` (${done} of ${total} cells done.)`;
  const caveats = (Object.keys(CAVEAT_LABELS) as (keyof PrivacyCaveats)[]).filter((k) => results.some((r) => r[k]));
  if (caveats.length)
    sentence += ` Warning: ${caveats.map((k) => CAVEAT_LABELS[k]).join('; ')}, so the ε shown is not a guarantee for these runs.`;
  return { best, abadiMedianAtBestLr, autoSMinusBestAbadi, done, total, sentence };
}

/**
 * The accuracy table: one row per (clipping, R), one column per learning rate (the union of the
 * grids' learning rates), "—" for cells not run (yet). 'markdown' gives a GitHub table.
 */
export function formatSweepTable(
  sweep: Pick<SweepConfig, 'clipping'>,
  results: readonly SweepCellResult[],
  format: 'text' | 'markdown' = 'text',
): string {
  const matrices = sweepMatrices(sweep, results);
  const lrs = [...new Set(matrices.flatMap((m) => m.lr))].sort((a, b) => a - b);
  const header = ['test accuracy', ...lrs.map((l) => `lr=${num(l)}`)];
  const rows: string[][] = [];
  for (const m of matrices) {
    m.R.forEach((R, i) => {
      const label = R === null ? clippingLabel(m.clipping) : `${clippingLabel(m.clipping)} R=${num(R)}`;
      rows.push([
        label,
        ...lrs.map((l) => {
          const j = m.lr.indexOf(l);
          const v = j < 0 ? null : m.testAcc[i][j];
          return j < 0 ? '' : v === null ? '—' : pct(v);
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
export function csvField(v: string | number | null | undefined | boolean): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : String(v)) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const SWEEP_CSV_COLUMNS = [
  'clipping',
  'R',
  'lr',
  'testAcc',
  'trainAcc',
  'epsilon',
  'sigma',
  'steps',
  'seconds',
  'notCoveredByAccountant',
  'seededRandomness',
] as const;

/** One row per finished cell; R is empty for automatic clipping; the caveat flags are true or false. */
export function sweepCsv(results: readonly SweepCellResult[]): string {
  const rows = results.map((r) =>
    [
      r.clipping,
      r.R,
      r.lr,
      r.testAcc,
      r.trainAcc,
      r.epsilon,
      r.sigma,
      r.steps,
      Number(r.seconds.toFixed(3)),
      r.notCoveredByAccountant,
      r.seededRandomness,
    ]
      .map(csvField)
      .join(','),
  );
  return `${[SWEEP_CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}
