import { effectiveScales, type ClipPlan } from '../clipping/plan';
import type { DpStepStats } from '../dp/types';
import type { GradStats } from '../domain/gradStats';

/**
 * Histogram of per-sample gradient norms on [0, hi], hi covering both the largest norm and the
 * clipping threshold R so the R line is always on the chart.
 */
export function normHistogram(norms: Float32Array, maxGradNorm: number | null, bins = 30): { edges: Float32Array; counts: Uint32Array } {
  let max = maxGradNorm ?? 0;
  for (const v of norms) if (v > max) max = v;
  const hi = max > 0 ? max * 1.05 : 1;
  const edges = new Float32Array(bins + 1);
  for (let k = 0; k <= bins; k++) edges[k] = (hi * k) / bins;
  const counts = new Uint32Array(bins);
  for (const v of norms) counts[Math.min(bins - 1, Math.max(0, Math.floor((v / hi) * bins)))]++;
  return { edges, counts };
}

/** The per-step DP diagnostics as the UI receives them. */
export function toGradStats(step: number, stats: DpStepStats, clip: ClipPlan): GradStats {
  const norms = stats.perSampleNorms.slice();
  const maxGradNorm = clip.fn.usesR ? clip.maxGradNorm : null;
  return {
    clipFactors: effectiveScales(norms, stats.perLayerNorms, clip),
    step,
    norms,
    histogram: normHistogram(norms, maxGradNorm),
    fractionClipped: stats.fractionClipped,
    meanClipFactor: stats.meanClipFactor,
    clippedSumNorm: stats.clippedSumNorm,
    noiseNorm: stats.noiseNorm,
    maxGradNorm,
  };
}
