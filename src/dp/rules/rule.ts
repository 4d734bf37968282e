import type * as tf from '@tensorflow/tfjs';
import type { Layer } from '../../model/layers/layer';

/**
 * Per-sample gradient rule for one parametric layer family. Both methods take the layer, its input
 * A ([B, ...inputShape], kept from the forward pass) and the tapped backprop G = ∂L/∂z
 * ([B, ...outputShape], per-example-SUM loss so row i is sample i's own gradient). Each is a stage a
 * custom kernel can take over.
 */
export interface PerSampleRule<L extends Layer = Layer> {
  /** Per-sample squared gradient norms, one [B] tensor per entry of layer.params. */
  sqNorms(layer: L, a: tf.Tensor, g: tf.Tensor): tf.Tensor1D[];
  /**
   * Book-keeping aggregation Σ_i c_i ∇θ ℓ_i for each entry of layer.params, with factors c [B]
   * (0 for padded rows), without a second backward pass.
   */
  clippedSum(layer: L, a: tf.Tensor, g: tf.Tensor, c: tf.Tensor1D): tf.Tensor[];
  /**
   * The layer's whole per-sample squared norm [B] (all its parameters) by one of our kernels
   * (src/kernels), used on the kernel path; without it the kernel path sums `sqNorms`.
   */
  sqNormsKernel?(layer: L, a: tf.Tensor, g: tf.Tensor): tf.Tensor1D;
  /**
   * Every sample's gradient of all the layer's parameters, [B, n] (layer.params in order, each
   * flattened), by one of our kernels. The kernel path keeps them when they fit the step's budget
   * (DpStepPlan.perSampleGradBytes) and takes both the norms and the clipped sum from them, so the
   * layer's per-sample work is done once; only rules whose clipped sum costs more than storing the
   * gradients (Conv2D: B·T positions against B rows) have it.
   */
  perSampleGradsKernel?(layer: L, a: tf.Tensor, g: tf.Tensor): tf.Tensor2D;
  /**
   * The layer's per-sample Gram matrix [B, B], entry (i, j) = ⟨∇θ ℓ_i, ∇θ ℓ_j⟩ over all its
   * parameters, without forming the per-sample gradients where the layer allows (the gradient plane,
   * src/dp/gradientPlane.ts; its diagonal is the squared norm).
   */
  gram(layer: L, a: tf.Tensor, g: tf.Tensor): tf.Tensor2D;
}
