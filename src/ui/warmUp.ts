import type { MetricPoint } from '../domain/metricPoint';

/**
 * What the run status says about the warm-up: the first step compiles the GPU programs (tens of
 * seconds on a software GPU), so until it lands the user sees that it is compiling, and afterwards
 * how long it took (the first point's training time is the first step alone).
 */
export function warmUpText(state: string, metrics: readonly Pick<MetricPoint, 'step' | 'elapsedMs'>[]): string | null {
  if (metrics.length === 0) return state === 'running' ? 'compiling the first step…' : null;
  const first = metrics[0];
  if (first.step !== 1) return null;
  const s = first.elapsedMs / 1000;
  return `first step took ${s < 10 ? s.toFixed(1) : Math.round(s)} s (includes compiling)`;
}
