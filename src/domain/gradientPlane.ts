/**
 * One batch's per-sample gradients drawn in the plane of their top two principal directions (the
 * gradient plane, docs/ARCHITECTURE.md): what the worker sends and the view draws. Points are interleaved
 * (x, y) pairs, one per real row of the batch, in the batch's order.
 */
export interface PlaneGeometry {
  /** (√λ₁U_i1, √λ₂U_i2): the exact orthogonal projection of g_i onto the plane, [2B]. */
  raw: Float32Array;
  /** The projection of the clipped gradient (C_i g_i for flat clipping), [2B]. */
  clipped: Float32Array;
  /** ‖g_i‖ over all parameters, [B]. */
  norms: Float32Array;
  /** ‖clipped g_i‖/‖g_i‖: the clip factor C_i for flat clipping, the combined scale for layer-wise, [B]. */
  scales: Float32Array;
  /** Share of ‖g_i‖ the plane shows, √(x² + y²)/‖g_i‖ (1 for a zero gradient), [B]. */
  captured: Float32Array;
  /** Σ_i clipped_i in the plane (before noise and before dividing by qN). */
  clippedSum: [number, number];
  /** σS: one standard deviation of the noise per axis, centred on the clipped sum (isotropic, so exact in the plane). */
  noiseRadius: number;
  /** The divisor of the private update: qN for a private run, the number of real rows otherwise. */
  divisor: number;
  /** The private gradient's centre, clipped sum / divisor, and its noise std per axis σS / divisor. */
  update: [number, number];
  updateNoiseRadius: number;
  /** λ₁ ≥ λ₂ of the Gram matrix (0 when the batch has fewer rows). */
  eigenvalues: [number, number];
  /** (λ₁ + λ₂)/Σλ: the share of the batch's squared gradient mass the plane shows. */
  batchShare: number;
}

export interface GradientPlane extends PlaneGeometry {
  /** The training step the batch belongs to (after it was applied). */
  step: number;
  /** Clipping function name (src/clipping/functions.ts). */
  clipping: string;
  /** The circle clipped gradients stay inside: R for Abadi/global, 1 for automatic clipping; null without clipping. */
  circleRadius: number | null;
  /** Class labels of the real rows, [B]. */
  labels: Int32Array;
  /** For image data, each row's image as 8-bit grey levels [B·height·width]; null otherwise. */
  thumbnails: { width: number; height: number; pixels: Uint8Array } | null;
}

/** The buffers of a plane, to transfer (not copy) with the message that carries it. */
export function planeBuffers(p: GradientPlane): ArrayBuffer[] {
  const arrays = [p.raw, p.clipped, p.norms, p.scales, p.captured, p.labels, ...(p.thumbnails ? [p.thumbnails.pixels] : [])];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
