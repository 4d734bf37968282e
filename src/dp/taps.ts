import * as tf from '@tensorflow/tfjs';
import type { Layer } from '../model/layers/layer';
import type { Model } from '../model/types';

/** What one tapped forward/backward pass yields. All tensors are owned by the caller. */
export interface TapCapture {
  /** Σ_i mask_i ℓ_i (per-example SUM of the cross-entropy). */
  lossSum: tf.Scalar;
  /** A_l: the input of each parametric layer, in `paramLayers` order. */
  activations: tf.Tensor[];
  /** G_l = ∂(Σ_i mask_i ℓ_i)/∂z_l: row i is sample i's own gradient w.r.t. its pre-activation. */
  backprops: tf.Tensor[];
}

/** Disposes every tensor of a capture. */
export function disposeCapture(c: TapCapture): void {
  c.lossSum.dispose();
  tf.dispose(c.activations);
  tf.dispose(c.backprops);
}

/** Masked per-example-SUM softmax cross-entropy. The reduction is the 5th argument (docs/ARCHITECTURE.md). */
export function maskedSumLoss(logits: tf.Tensor, oneHot: tf.Tensor, mask: tf.Tensor1D): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(oneHot, logits, mask, 0, tf.Reduction.SUM) as tf.Scalar;
}

/**
 * One forward and one backward pass that records, for every parametric layer, its input A_l and
 * the gradient G_l of the per-example-sum loss w.r.t. its pre-activation z_l.
 *
 * Layers up to and including the first parametric layer run outside the gradient; the backward is
 * taken w.r.t. that layer's output z_1, which is G_1 itself, so no gradient flows into the input or
 * into any parameter. Later z_l pass through identity taps (tf.customGrad) whose gradient function
 * keeps a copy of the incoming dy.
 */
export function captureTaps(model: Model, paramLayers: readonly Layer[], x: tf.Tensor, oneHot: tf.Tensor, mask: tf.Tensor1D): TapCapture {
  const layers = model.layers;
  const first = layers.indexOf(paramLayers[0]);
  if (first < 0) throw new Error('captureTaps: the model has no parametric layer');
  const tapIndex = new Map<Layer, number>(paramLayers.map((l, i) => [l, i]));
  const activations: tf.Tensor[] = [];
  const backprops: (tf.Tensor | null)[] = paramLayers.map(() => null);
  try {
    const z1 = tf.tidy(() => {
      let h = x;
      for (let i = 0; i < first; i++) h = layers[i].apply(h);
      activations.push(tf.keep(first === 0 ? h.clone() : h));
      return layers[first].apply(h);
    });
    const makeTap = (k: number) =>
      tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => ({
        value: (inputs[0] as tf.Tensor).clone(),
        gradFunc: (dy: tf.Tensor) => {
          backprops[k] = tf.keep(dy.clone());
          return dy;
        },
      }));
    const forward = (z: tf.Tensor): tf.Scalar => {
      let h = z;
      for (let i = first + 1; i < layers.length; i++) {
        const layer = layers[i];
        const k = tapIndex.get(layer);
        if (k === undefined) {
          h = layer.apply(h);
        } else {
          activations.push(tf.keep(h));
          h = makeTap(k)(layer.apply(h));
        }
      }
      return maskedSumLoss(h, oneHot, mask);
    };
    const { value, grads } = tf.valueAndGrads(forward)([z1]);
    z1.dispose();
    backprops[0] = grads[0];
    for (let k = 0; k < backprops.length; k++) {
      if (backprops[k] === null) {
        // The loss does not depend on this layer (cannot happen in a sequential model).
        throw new Error(`captureTaps: no gradient reached layer "${paramLayers[k].name}"`);
      }
    }
    return { lossSum: value, activations, backprops: backprops as tf.Tensor[] };
  } catch (e) {
    tf.dispose(activations);
    tf.dispose(backprops.filter((t): t is tf.Tensor => t !== null));
    throw e;
  }
}
