import * as tf from '@tensorflow/tfjs';
import type { ClippingFn, ClippingStyle } from './types';

/** Defaults and validation of the clipping parameters, shared by the step and the noise. */
export interface ClipConfig {
  fn: ClippingFn;
  /** R of abadi/global; 1 for automatic clipping and none. */
  clipNorm: number;
  gamma: number;
  style: ClippingStyle;
}

export const DEFAULT_AUTO_S_GAMMA = 0.01;

export function isAutomatic(fn: ClippingFn): boolean {
  return fn === 'auto-v' || fn === 'auto-s';
}

export function resolveClipConfig(opts: { clipping: ClippingFn; clipNorm?: number; gamma?: number; style?: ClippingStyle }): ClipConfig {
  const fn = opts.clipping;
  if (!['none', 'abadi', 'auto-v', 'auto-s', 'global'].includes(fn)) {
    throw new Error(`clipping: unknown clipping function "${String(fn)}"`);
  }
  const style = opts.style ?? 'flat';
  if (style !== 'flat' && style !== 'layer-wise') throw new Error(`clipping: unknown style "${String(style)}"`);
  const gamma = opts.gamma ?? DEFAULT_AUTO_S_GAMMA;
  if (!(gamma > 0 && Number.isFinite(gamma))) throw new Error(`clipping: AUTO-S γ must be finite and > 0, got ${gamma}`);
  let clipNorm = 1;
  if (fn === 'abadi' || fn === 'global') {
    if (opts.clipNorm === undefined) throw new Error(`clipping: "${fn}" needs clipNorm (R)`);
    if (!(opts.clipNorm > 0 && Number.isFinite(opts.clipNorm))) {
      throw new Error(`clipping: clipNorm R must be finite and > 0, got ${opts.clipNorm}`);
    }
    clipNorm = opts.clipNorm;
  }
  return { fn, clipNorm, gamma, style };
}

/**
 * The L2 sensitivity S of the clipped sum to one example: R for abadi/global, 1 for automatic
 * clipping (Bu et al. 2023: the normalised gradient has norm < 1, R is absorbed by the learning rate).
 * Noise is N(0, σ²S²).
 */
export function sensitivity(cfg: ClipConfig): number {
  return cfg.fn === 'abadi' || cfg.fn === 'global' ? cfg.clipNorm : 1;
}

/**
 * The bound each clipping group's clipped gradient may reach: S for flat clipping, S/√K for
 * layer-wise clipping over K groups, so that the whole clipped gradient still has norm ≤ S.
 */
export function groupBound(cfg: ClipConfig, groups: number): number {
  const s = sensitivity(cfg);
  return cfg.style === 'layer-wise' ? s / Math.sqrt(groups) : s;
}

/**
 * Clip factors C for norms ‖g‖ (any shape) with group bound `bound` (R for abadi/global, the
 * multiplier S or S/√K for automatic clipping):
 * - none: 1
 * - abadi: min(1, bound/‖g‖)              (1 at ‖g‖ = 0)
 * - auto-v: bound/‖g‖ for ‖g‖ > 0, and 0 at ‖g‖ = 0 — the normalised zero vector is taken to be
 *   zero, so it contributes nothing and cannot produce NaN (∞·0).
 * - auto-s: bound/(‖g‖ + γ)
 * - global: 1 if ‖g‖ ≤ bound else 0
 * Multiply by the row mask afterwards so padded rows get 0.
 */
export function clipFactors(norms: tf.Tensor, cfg: ClipConfig, bound: number): tf.Tensor {
  return tf.tidy(() => {
    switch (cfg.fn) {
      case 'none':
        return tf.onesLike(norms);
      case 'abadi': {
        const over = tf.greater(norms, bound);
        return tf.where(over, tf.div(bound, tf.where(over, norms, tf.onesLike(norms))), tf.onesLike(norms));
      }
      case 'auto-v': {
        const pos = tf.greater(norms, 0);
        return tf.where(pos, tf.div(bound, tf.where(pos, norms, tf.onesLike(norms))), tf.zerosLike(norms));
      }
      case 'auto-s':
        return tf.div(bound, tf.add(norms, cfg.gamma));
      case 'global':
        return tf.cast(tf.lessEqual(norms, bound), 'float32');
    }
  });
}
