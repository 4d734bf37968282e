import { clippingFunction, DEFAULT_GAMMA, sensitivityOf, type ClippingFunction, type ClippingNameOrNone } from './functions';

/** flat = one norm over all parameters ("all-layer"); layer-wise = one group per parametric layer. */
export type ClippingStyle = 'flat' | 'layer-wise';

/**
 * A run's clipping, resolved and checked once (when the run is planned) and then passed to every
 * step: the function, its threshold R, γ, the style and the sensitivity S that scales the noise.
 */
export interface ClipPlan {
  readonly fn: ClippingFunction;
  /** R for functions that use it; 1 otherwise (automatic clipping has sensitivity 1). */
  readonly maxGradNorm: number;
  readonly gamma: number;
  readonly style: ClippingStyle;
  /** S: the largest norm of one example's clipped gradient; the noise std is σ·S. */
  readonly sensitivity: number;
}

export interface ClipSettings {
  clipping: ClippingNameOrNone;
  /** R; required by the functions that use it. */
  maxGradNorm?: number;
  /** γ of AUTO-S; default 0.01. */
  gamma?: number;
  /** Default 'flat'. */
  style?: ClippingStyle;
}

/** Checks the settings (a bad one throws, naming it) and resolves the defaults. */
export function resolveClipPlan(s: ClipSettings): ClipPlan {
  const fn = clippingFunction(s.clipping);
  const style = s.style ?? 'flat';
  if (style !== 'flat' && style !== 'layer-wise') throw new Error(`clipping: unknown style "${String(style)}" (flat, layer-wise)`);
  const gamma = s.gamma ?? DEFAULT_GAMMA;
  if (!(gamma > 0 && Number.isFinite(gamma))) throw new Error(`clipping: AUTO-S γ must be finite and > 0, got ${gamma}`);
  let maxGradNorm = 1;
  if (fn.usesR) {
    if (s.maxGradNorm === undefined) throw new Error(`clipping: "${fn.name}" needs the threshold R (maxGradNorm)`);
    if (!(s.maxGradNorm > 0 && Number.isFinite(s.maxGradNorm))) throw new Error(`clipping: R must be finite and > 0, got ${s.maxGradNorm}`);
    maxGradNorm = s.maxGradNorm;
  }
  return { fn, maxGradNorm, gamma, style, sensitivity: sensitivityOf(fn, maxGradNorm) };
}

/** Plain training: factor 1, no noise. */
export const NO_CLIPPING: ClipPlan = resolveClipPlan({ clipping: 'none' });

/**
 * The bound each clipping group's clipped gradient may reach: S for flat clipping, S/√K for
 * layer-wise clipping over K groups, so that the whole clipped gradient still has norm ≤ S.
 */
export function groupBound(plan: ClipPlan, groups: number): number {
  return plan.style === 'layer-wise' ? plan.sensitivity / Math.sqrt(groups) : plan.sensitivity;
}

/**
 * Each sample's effective scale ‖C∘g_i‖/‖g_i‖ from its per-layer norms: the flat clip factor for
 * flat clipping; for layer-wise clipping the layers' factors combined by their share of the norm.
 * `perLayerNorms[l][i]` is ‖g_{i,l}‖. Zero gradients get their factor at norm 0.
 */
export function effectiveScales(perSampleNorms: Float32Array, perLayerNorms: readonly Float32Array[], plan: ClipPlan): Float32Array {
  const out = new Float32Array(perSampleNorms.length);
  const K = perLayerNorms.length;
  const { fn, gamma } = plan;
  const layerWise = plan.style === 'layer-wise' && K > 0;
  const bound = groupBound(plan, Math.max(1, K));
  for (let i = 0; i < out.length; i++) {
    const n = perSampleNorms[i];
    if (!layerWise || n === 0) {
      out[i] = fn.factor(n, bound, gamma);
      continue;
    }
    let sq = 0;
    for (let l = 0; l < K; l++) {
      const nl = perLayerNorms[l][i];
      const c = fn.factor(nl, bound, gamma);
      sq += c * c * nl * nl;
    }
    out[i] = Math.sqrt(sq) / n;
  }
  return out;
}
