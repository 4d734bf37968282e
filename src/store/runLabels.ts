import { clippingFunction } from '../clipping/functions';
import type { RunConfig } from '../config/runConfig';

/**
 * Legend colours, in the order new runs take them: Okabe–Ito colours, darkened where needed to ≥ 3:1
 * on white (src/ui/charts/runStyle.test.ts); each also gets a marker.
 */
export const RUN_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#A66F00', '#3A8FC4', '#000000', '#7B3294'];

/** The first colour no run in `used` has; when all are taken, cycle by the number of runs. */
export function nextRunColor(used: readonly string[]): string {
  const taken = new Set(used);
  return RUN_COLORS.find((c) => !taken.has(c)) ?? RUN_COLORS[used.length % RUN_COLORS.length];
}

/** Short human label of a run's distinguishing settings. */
export function runLabel(c: RunConfig): string {
  if (!c.privacy.enabled) return `non-private · lr ${c.train.learningRate}`;
  const p = c.privacy;
  const fn = clippingFunction(p.clipping);
  const clip = fn.usesR ? `${fn.label} R=${p.maxGradNorm}` : fn.label;
  const noise = p.noise.mode === 'target' ? `ε=${p.noise.epsilon}` : `σ=${p.noise.sigma}`;
  return `${clip} · ${noise} · lr ${c.train.learningRate}`;
}
