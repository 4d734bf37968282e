import * as tf from '@tensorflow/tfjs';
import type { Activation } from '../types';
import type { Layer } from './layer';

/** Elementwise nonlinearity; no parameters. */
export class ActivationLayer implements Layer {
  readonly kind = 'activation' as const;
  readonly params: readonly tf.Variable[] = [];
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];

  constructor(
    readonly name: string,
    inputShape: readonly number[],
    readonly activation: Activation,
  ) {
    this.inputShape = [...inputShape];
    this.outputShape = [...inputShape];
  }

  apply(x: tf.Tensor): tf.Tensor {
    switch (this.activation) {
      case 'relu':
        return tf.relu(x);
      case 'tanh':
        return tf.tanh(x);
      case 'sigmoid':
        return tf.sigmoid(x);
    }
  }

  dispose(): void {}
}
