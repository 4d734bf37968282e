import type * as tf from '@tensorflow/tfjs';

/** Every layer type the model builder knows. The DP engine registers per-sample rules by this key. */
export type LayerKind = 'dense' | 'conv2d' | 'activation' | 'maxpool2d' | 'avgpool2d' | 'flatten';

/**
 * One step of a sequential model. A parametric layer (Dense, Conv2D) computes only the affine
 * pre-activation z = f(A; θ); nonlinearities are separate `activation` layers. That split is what
 * lets the DP step put its identity tap on z directly after the layer that owns the parameters.
 */
export interface Layer {
  readonly kind: LayerKind;
  /** Unique within a model, e.g. "conv2d_0"; used in error messages and diagnostics. */
  readonly name: string;
  /** Trainable variables of this layer in a fixed order (weights first, then bias). */
  readonly params: readonly tf.Variable[];
  /** Shape of one input example (no batch dimension). */
  readonly inputShape: readonly number[];
  /** Shape of one output example (no batch dimension). */
  readonly outputShape: readonly number[];
  /** Forward pass on a batch [B, ...inputShape] → [B, ...outputShape]. */
  apply(x: tf.Tensor): tf.Tensor;
  dispose(): void;
}

/** Padding modes with TF.js semantics ('same' pads so out = ceil(in / stride)). */
export type Padding = 'same' | 'valid';

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Output length of a convolution or pooling window along one axis, exactly as TF.js computes it. */
export function windowOutputSize(inSize: number, k: number, stride: number, padding: Padding): number {
  if (padding === 'same') return Math.ceil(inSize / stride);
  return Math.floor((inSize - k) / stride) + 1;
}

/** Throws unless `shape` is [H, W, C] with a window that fits. */
export function assertImageShape(layer: string, shape: readonly number[], k: number, padding: Padding): void {
  if (shape.length !== 3) {
    throw new Error(`${layer}: expects an input of shape [H, W, C], got [${shape.join(', ')}]`);
  }
  if (padding === 'valid' && (shape[0] < k || shape[1] < k)) {
    throw new Error(`${layer}: window ${k}×${k} with 'valid' padding does not fit input ${shape[0]}×${shape[1]}`);
  }
}
