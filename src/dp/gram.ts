import * as tf from '@tensorflow/tfjs';
import type { ParametricLayer } from './rules/registry';
import type { TapCapture } from './taps';

/**
 * Per-layer per-sample Gram matrices [K, B, B], entry (l, i, j) = ⟨∇θ_l ℓ_i, ∇θ_l ℓ_j⟩, from the same
 * tapped backward pass as the norms (each layer's rule; no per-sample gradient is formed where the
 * layer allows). Padded rows have zero output gradients, so their rows and columns are zero; the
 * gradient plane drops them by the mask.
 */
export function perSampleGrams(layers: readonly ParametricLayer[], capture: TapCapture): tf.Tensor3D {
  return tf.tidy(
    () => tf.stack(layers.map(({ layer, rule }, k) => rule.gram(layer, capture.activations[k], capture.backprops[k]))) as tf.Tensor3D,
  );
}

/** The gradient plane's tensors from one step: per-layer Grams [K, B, B] and the step's clip factors. */
export interface GramTensors {
  grams: tf.Tensor3D;
  /** [B] for flat clipping, [K, B] for layer-wise (0 on padded rows). */
  factors: tf.Tensor;
}

/** The same, read back to the host. */
export interface GramReadout {
  grams: Float32Array;
  layers: number;
  rows: number;
  factors: Float32Array;
}

/** Reads the gradient plane's tensors back (the caller disposes them). */
export async function readGramTensors(t: GramTensors): Promise<GramReadout> {
  const [grams, factors] = await Promise.all([t.grams.data() as Promise<Float32Array>, t.factors.data() as Promise<Float32Array>]);
  return { grams, layers: t.grams.shape[0], rows: t.grams.shape[1], factors };
}
