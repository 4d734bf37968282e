import type * as tf from '@tensorflow/tfjs';
import type { Layer } from './layers/layer';

/** Activation functions a model preset can use. */
export type Activation = 'relu' | 'tanh' | 'sigmoid';

/** Which model to build; part of the serialisable run config. */
export type ModelSpec =
  { preset: 'logistic' } | { preset: 'mlp'; hidden: number[]; activation: Activation } | { preset: 'cnn'; activation: Activation };

/**
 * A model is a sequence of layers with trainable variables in a fixed order. The engine needs no
 * more than this to train it without privacy; the DP step additionally walks `layers` to put taps
 * on pre-activations (see src/dp).
 */
export interface Model {
  readonly spec: ModelSpec;
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  /** Trainable variables in a fixed order; gradients are returned in this order. */
  readonly params: readonly tf.Variable[];
  /**
   * The layers in forward order; `params` is the concatenation of their `params`. Parametric layers
   * (Dense, Conv2D) output their pre-activation, nonlinearities are separate layers.
   */
  readonly layers: readonly Layer[];
  /** Logits [B, numClasses] for a batch [B, ...inputShape]. */
  apply(x: tf.Tensor): tf.Tensor2D;
  dispose(): void;
}
