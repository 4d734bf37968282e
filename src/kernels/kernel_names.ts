/**
 * The contract of our custom kernels: names, inputs and attributes. Ops (src/kernels/<name>.ts),
 * CPU twins (same files) and WebGPU programs (src/kernels/webgpu/<name>_webgpu.ts) meet on these.
 */
import type { ClippingNameOrNone } from '../clipping/functions';
import type { ClippingStyle } from '../clipping/plan';

/** Per-sample ‖∇W_i‖² + ‖∇b_i‖² of a Dense layer from its input A [B, Din] and tap G [B, Dout] → [B]. */
export const DpDenseSqNorms = 'DpDenseSqNorms';
export type DpDenseSqNormsInputs = { a: unknown; g: unknown };

/**
 * Per-sample ‖U_iᵀG_i‖² + ‖Σ_t G_i,t‖² of a Conv2D layer from its input x [B, H, W, Cin] and output
 * gradient dy [B, Ho, Wo, Cout] → [B], without forming the per-sample gradients in global memory.
 */
export const DpConv2DSqNorms = 'DpConv2DSqNorms';
export type DpConv2DSqNormsInputs = { x: unknown; dy: unknown };
export interface DpConv2DSqNormsAttrs {
  kernelSize: number;
  stride: number;
  /** Top and left zero padding (TF.js 'same' puts the odd pixel at the bottom/right). */
  padTop: number;
  padLeft: number;
}

/**
 * Per-sample gradients of a Conv2D layer from the same inputs and attributes as DpConv2DSqNorms →
 * [B, k·k·Cin·Cout + Cout]: row i is sample i's weight gradient U_iᵀG_i in the filter's
 * [k, k, Cin, Cout] order, then its bias gradient Σ_t G_i,t. The DP step keeps them when they fit its
 * memory budget, so the clipped sum is Σ_i c_i row_i instead of a second pass over B·T positions.
 */
export const DpConv2DPerSampleGrads = 'DpConv2DPerSampleGrads';
export type DpConv2DPerSampleGradsAttrs = DpConv2DSqNormsAttrs;

/**
 * Clip factors from per-layer squared norms sq [K, B] and the row mask [B]: flat → [B] from
 * sqrt(Σ_k sq[k, i]); layer-wise → [K, B] from sqrt(sq[k, i]). 0 on padded rows.
 */
export const DpClipFactors = 'DpClipFactors';
export type DpClipFactorsInputs = { sq: unknown; mask: unknown };
export interface DpClipFactorsAttrs {
  fn: ClippingNameOrNone;
  style: ClippingStyle;
  /** Group bound: S (flat) or S/√K (layer-wise). */
  bound: number;
  gamma: number;
}

/** Optimizer rules the fused noise + update kernel implements. */
export type NoisyUpdateRule = 'grad' | 'sgd' | 'momentum' | 'nesterov' | 'adam' | 'adamw';
/** Rows of optimizer state per rule: momentum/nesterov keep v, adam/adamw keep m and v. */
export function stateRows(rule: NoisyUpdateRule): number {
  return rule === 'adam' || rule === 'adamw' ? 2 : rule === 'momentum' || rule === 'nesterov' ? 1 : 0;
}

/**
 * Fused Gaussian noise + optimizer update for one parameter tensor. The noisy gradient
 *   g̃ = (sum + std·n) / divisor,  n ~ N(0, 1) from Philox4x32-10 keyed by (key, step, paramIndex)
 * only ever exists in registers. Inputs: param θ [n], sum [n], state [S, n] (S = stateRows(rule); a
 * [1, 1] placeholder when S = 0). `output` picks what one dispatch writes:
 * - 'param': θ' (rule 'grad': g̃ itself, for optimizers the kernel does not fuse);
 * - 'state': the new state [S, n] (momentum: v'; adam: m', v').
 * Momentum and Adam run 'state' then 'param' (which reads the new state); Nesterov regenerates the
 * same noise in both passes (counter-based, so the draws are identical).
 */
export const DpNoisyUpdate = 'DpNoisyUpdate';
export type DpNoisyUpdateInputs = { param: unknown; sum: unknown; state: unknown };
export interface DpNoisyUpdateAttrs {
  rule: NoisyUpdateRule;
  output: 'param' | 'state';
  /** Philox key (two 32-bit words), step (counter word 1) and parameter index (counter word 2). */
  key0: number;
  key1: number;
  step: number;
  paramIndex: number;
  std: number;
  divisor: number;
  lr: number;
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** 1 − β1ᵗ and 1 − β2ᵗ for Adam's bias correction (t = this update's 1-based count). */
  biasCorrection1: number;
  biasCorrection2: number;
}

/** Every custom kernel name, alphabetised (registration lists follow this order). */
export const KERNEL_NAMES = [DpClipFactors, DpConv2DPerSampleGrads, DpConv2DSqNorms, DpDenseSqNorms, DpNoisyUpdate] as const;
