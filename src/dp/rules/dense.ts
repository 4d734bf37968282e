import * as tf from '@tensorflow/tfjs';
import { denseSqNorms } from '../../kernels/dense_sq_norms';
import type { Dense } from '../../model/layers/dense';
import type { PerSampleRule } from './rule';

/**
 * Dense z = A W + b. Sample i's weight gradient is the outer product a_iᵀ g_i, so
 * ‖∇W_i‖² = ‖a_i‖²·‖g_i‖² (the "ghost norm", Goodfellow 2015) and ‖∇b_i‖² = ‖g_i‖².
 * The clipped sum is Aᵀ diag(c) G and Σ_i c_i g_i. The Gram of the weight gradients is
 * ⟨a_iᵀg_i, a_jᵀg_j⟩ = ⟨a_i, a_j⟩⟨g_i, g_j⟩, plus ⟨g_i, g_j⟩ for the bias: (AAᵀ + 1) ∘ GGᵀ.
 */
export const denseRule: PerSampleRule<Dense> = {
  sqNorms(_layer, a, g) {
    return tf.tidy(() => {
      const gSq = tf.sum(tf.square(g), 1) as tf.Tensor1D;
      const aSq = tf.sum(tf.square(a), 1);
      return [tf.mul(aSq, gSq) as tf.Tensor1D, gSq];
    });
  },
  sqNormsKernel: (_layer, a, g) => denseSqNorms(a as tf.Tensor2D, g as tf.Tensor2D),
  clippedSum(_layer, a, g, c) {
    return tf.tidy(() => {
      const gc = tf.mul(g, tf.expandDims(c, 1)) as tf.Tensor2D;
      return [tf.matMul(a as tf.Tensor2D, gc, true, false), tf.sum(gc, 0)];
    });
  },
  gram(_layer, a, g) {
    return tf.tidy(() => {
      const aa = tf.matMul(a as tf.Tensor2D, a as tf.Tensor2D, false, true);
      const gg = tf.matMul(g as tf.Tensor2D, g as tf.Tensor2D, false, true);
      return tf.mul(tf.add(aa, 1), gg) as tf.Tensor2D;
    });
  },
};
