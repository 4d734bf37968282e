import * as tf from '@tensorflow/tfjs';
import type { ClipPlan } from '../clipping/plan';
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
