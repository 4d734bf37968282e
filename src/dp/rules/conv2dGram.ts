import * as tf from '@tensorflow/tfjs';
import type { Conv2D } from '../../model/layers/conv2d';

/** How a Conv2D layer's per-sample Gram is formed (see convGramMode). */
export type ConvGramMode = 'ghost' | 'instantiate';

/**
 * How the per-sample Gram of a Conv2D layer is formed. Sample i's weight gradient is U_iᵀG_i
 * (U_i the T × kkC_in unfolded patches, G_i the T × C_out output gradients), so
 * ⟨U_iᵀG_i, U_jᵀG_j⟩ = Σ_{t,s} ⟨u_it, u_js⟩⟨g_it, g_js⟩:
 * - 'ghost' forms the (BT)² patch and gradient products: ~B²T²(P + C) flops, (BT)² memory;
 * - 'instantiate' forms the B per-sample weight gradients (B·P·C, small for conv filters) and their
 *   Gram: ~B·T·P·C + B²·P·C flops.
 * The cost differs from the norm rule's (convNormMode), whose ghost form only pairs a sample with
 * itself; for the Gram, pairing every sample with every other makes the ghost form B times dearer.
 */
export function convGramMode(layer: Conv2D, batch: number): ConvGramMode {
  const [ho, wo] = layer.outputShape;
  const t = ho * wo;
  const p = layer.kernelSize * layer.kernelSize * layer.inputShape[2];
  const c = layer.filters;
  const ghost = batch * batch * t * t * (p + c);
  const instantiate = batch * t * p * c + batch * batch * p * c;
  return ghost < instantiate ? 'ghost' : 'instantiate';
}

/**
 * Conv2D per-sample Gram [B, B] (weights and bias) by an explicit mode, from the unfolded patches
 * u [B, T, P] (unfoldPatches in ./conv2d.ts) and the output gradients g [B, H_out, W_out, C_out].
 */
export function conv2dGram(u: tf.Tensor3D, g: tf.Tensor, mode: ConvGramMode): tf.Tensor2D {
  return tf.tidy(() => {
    const [b, ho, wo, cOut] = g.shape;
    const t = ho * wo;
    const g3 = tf.reshape(g, [b, t, cOut]) as tf.Tensor3D;
    let weights: tf.Tensor2D;
    if (mode === 'instantiate') {
      const w = tf.reshape(tf.matMul(u, g3, true, false), [b, -1]) as tf.Tensor2D; // [B, P·C_out]
      weights = tf.matMul(w, w, false, true);
    } else {
      const u2 = tf.reshape(u, [b * t, -1]) as tf.Tensor2D;
      const g2 = tf.reshape(g3, [b * t, cOut]) as tf.Tensor2D;
      const pairs = tf.mul(tf.matMul(u2, u2, false, true), tf.matMul(g2, g2, false, true)); // [BT, BT]
      weights = tf.sum(tf.reshape(pairs, [b, t, b, t]), [1, 3]) as tf.Tensor2D;
    }
    const biasGrad = tf.sum(g3, 1) as tf.Tensor2D; // [B, C_out]
    return tf.add(weights, tf.matMul(biasGrad, biasGrad, false, true)) as tf.Tensor2D;
  });
}
