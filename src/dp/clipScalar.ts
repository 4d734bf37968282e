import type { ClipConfig } from './clip';

/**
 * The clip factor of one norm, in plain JS: the reference for the tensor `clipFactors` and what the
 * UI-facing diagnostics use to show each sample's factor (same cases and edge rules as clip.ts).
 */
export function clipFactorOf(norm: number, cfg: ClipConfig, bound: number): number {
  switch (cfg.fn) {
    case 'none':
      return 1;
    case 'abadi':
      return norm > bound ? bound / norm : 1;
    case 'auto-v':
      return norm > 0 ? bound / norm : 0;
    case 'auto-s':
      return bound / (norm + cfg.gamma);
    case 'global':
      return norm <= bound ? 1 : 0;
  }
}

/**
 * Each sample's effective scale ‖C∘g_i‖/‖g_i‖ from its per-layer norms: the flat clip factor for
 * flat clipping; for layer-wise clipping the layers' factors combined by their share of the norm.
 * `perLayerNorms[l][i]` is ‖g_{i,l}‖. Zero gradients get their factor at norm 0.
 */
export function effectiveScales(perSampleNorms: Float32Array, perLayerNorms: readonly Float32Array[], cfg: ClipConfig): Float32Array {
  const out = new Float32Array(perSampleNorms.length);
  const K = perLayerNorms.length;
  const layerBound = cfg.style === 'layer-wise' ? (cfg.fn === 'abadi' || cfg.fn === 'global' ? cfg.clipNorm : 1) / Math.sqrt(K) : 0;
  const flatBound = cfg.fn === 'abadi' || cfg.fn === 'global' ? cfg.clipNorm : 1;
  for (let i = 0; i < out.length; i++) {
    const n = perSampleNorms[i];
    if (cfg.style === 'flat' || K === 0) {
      out[i] = clipFactorOf(n, cfg, flatBound);
      continue;
    }
    if (n === 0) {
      out[i] = clipFactorOf(0, cfg, layerBound);
      continue;
    }
    let sq = 0;
    for (let l = 0; l < K; l++) {
      const nl = perLayerNorms[l][i];
      const c = clipFactorOf(nl, cfg, layerBound);
      sq += c * c * nl * nl;
    }
    out[i] = Math.sqrt(sq) / n;
  }
  return out;
}
