import type { MetricPoint } from '../protocol/messages';

/**
 * Per-step metrics of a run as CSV (the CLI's `train --out`, the playground's metrics export).
 * Accuracy, ε and test loss exist only on evaluation steps (ε only for private runs): their cells
 * are empty elsewhere.
 */
export const METRICS_CSV_COLUMNS = ['step', 'epoch', 'loss', 'trainAcc', 'testAcc', 'epsilon', 'epsilonRdp', 'samplesPerSec', 'elapsedMs'] as const;

function cell(v: number | undefined): string {
  return v === undefined ? '' : String(v);
}

export function metricsCsv(points: readonly MetricPoint[]): string {
  const rows = points.map((p) => METRICS_CSV_COLUMNS.map((c) => cell(p[c])).join(','));
  return `${[METRICS_CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}
