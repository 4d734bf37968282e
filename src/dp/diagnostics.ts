import * as tf from '@tensorflow/tfjs';
import type { ClipPlan } from '../clipping/plan';
import { addAll } from './addAll';
import type { ParametricLayer } from './rules/registry';
import type { DpStepStats } from './types';

/** A step's diagnostic tensors before they are read back. Owned by the caller. */
export interface StepDiagnostics {
  layerNames: string[];
  /** ‖g_i‖ [B] and ‖g_i,l‖ [K, B]. */
  flatNorms: tf.Tensor1D;
  layerNorms: tf.Tensor2D;
  /** [B] for flat, [K, B] for layer-wise; 0 on padded rows. */
  factors: tf.Tensor;
  clippedSumNorm: tf.Scalar;
  noiseNorm: tf.Scalar;
}

/**
 * The diagnostic tensors of a step, inside the caller's tidy: norms from the per-layer squared norms
 * sq [K, B], the clip factors as computed, ‖Σ_i C_i g_i‖ over all clipped sums, and ‖noise‖ (null
 * when no noise was drawn: 0).
 */
export function stepDiagnostics(
  layers: readonly ParametricLayer[],
  sq: tf.Tensor2D,
  factors: tf.Tensor,
  sums: readonly tf.Tensor[],
  noiseNorm: tf.Scalar | null,
): StepDiagnostics {
  return {
    layerNames: layers.map((e) => e.layer.name),
    flatNorms: tf.sqrt(tf.sum(sq, 0)) as tf.Tensor1D,
    layerNorms: tf.sqrt(sq) as tf.Tensor2D,
    factors,
    clippedSumNorm: tf.sqrt(addAll(sums.map((s) => tf.sum(tf.square(s))))) as tf.Scalar,
    noiseNorm: noiseNorm ?? (tf.scalar(0) as tf.Scalar),
  };
}

/** Reads the diagnostics of a step (one awaited download), keeping real rows only. */
export async function readStats(diag: StepDiagnostics, mask: tf.Tensor1D, clip: ClipPlan): Promise<DpStepStats> {
  const [m, flat, layer, factors, sumNorm, noiseNorm] = await Promise.all([
    mask.data(),
    diag.flatNorms.data(),
    diag.layerNorms.data(),
    diag.factors.data(),
    diag.clippedSumNorm.data(),
    diag.noiseNorm.data(),
  ]);
  const b = m.length;
  const real: number[] = [];
  for (let i = 0; i < b; i++) if (m[i] !== 0) real.push(i);
  const pick = (src: ArrayLike<number>, offset: number): Float32Array => Float32Array.from(real, (i) => src[offset + i]);
  const k = diag.layerNames.length;
  const groups = factors.length / b; // 1 (flat) or K (layer-wise)
  let clipped = 0;
  let factorSum = 0;
  for (let g = 0; g < groups; g++) {
    for (const i of real) {
      const c = factors[g * b + i];
      factorSum += c;
      if (c < 1) clipped++;
    }
  }
  const population = real.length * groups;
  return {
    perSampleNorms: pick(flat, 0),
    perLayerNorms: Array.from({ length: k }, (_, l) => pick(layer, l * b)),
    layerNames: diag.layerNames,
    realRows: real.length,
    fractionClipped: clip.fn.usesR ? (population > 0 ? clipped / population : 0) : null,
    meanClipFactor: population > 0 ? factorSum / population : 0,
    clippedSumNorm: sumNorm[0],
    noiseNorm: noiseNorm[0],
  };
}

/** Disposes the diagnostic tensors of a step. */
export function disposeDiagnostics(diag: StepDiagnostics | undefined): void {
  if (!diag) return;
  tf.dispose([diag.flatNorms, diag.layerNorms, diag.factors, diag.clippedSumNorm, diag.noiseNorm]);
}
