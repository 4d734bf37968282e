/** Per-step view of the DP mechanics of a private run, as the charts draw it. */
export interface GradStats {
  step: number;
  /** Per-sample gradient norms ‖g_i‖ before clipping (real rows of this step's batch). */
  norms: Float32Array;
  /** Histogram of `norms`: counts[k] in [edges[k], edges[k+1]). */
  histogram: { edges: Float32Array; counts: Uint32Array };
  /** Abadi/global: share of samples whose gradient was scaled down (null for automatic clipping). */
  fractionClipped: number | null;
  meanClipFactor: number;
  /** ‖Σ C_i g_i‖ (signal) and ‖noise‖ added to it, before dividing by the batch size. */
  clippedSumNorm: number;
  noiseNorm: number;
  /** Clipping threshold R drawn on the histogram (Abadi, global); null for automatic clipping. */
  maxGradNorm: number | null;
  /** Each sample's effective clip factor ‖clipped gᵢ‖/‖gᵢ‖, same order as `norms`. */
  clipFactors: Float32Array;
}

/** The typed arrays of a GradStats (what a message transfers instead of copying). */
export function gradStatsBuffers(s: GradStats): ArrayBuffer[] {
  return [s.norms.buffer, s.clipFactors.buffer, s.histogram.edges.buffer, s.histogram.counts.buffer] as ArrayBuffer[];
}

/** A copy with its own buffers (sending one transfers, and so detaches, its buffers). */
export function copyGradStats(g: GradStats): GradStats {
  return {
    ...g,
    norms: g.norms.slice(),
    clipFactors: g.clipFactors.slice(),
    histogram: { edges: g.histogram.edges.slice(), counts: g.histogram.counts.slice() },
  };
}
