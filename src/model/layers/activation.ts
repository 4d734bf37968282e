import * as tf from '@tensorflow/tfjs';
import type { Activation } from '../types';
import { ParameterFreeLayer } from './parameterFreeLayer';

/** Elementwise nonlinearity; no parameters. */
export class ActivationLayer extends ParameterFreeLayer {
  readonly kind = 'activation' as const;

  constructor(
    name: string,
    inputShape: readonly number[],
    readonly activation: Activation,
  ) {
    super(name, [...inputShape], [...inputShape]);
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
}
