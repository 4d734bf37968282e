import type * as tf from '@tensorflow/tfjs';
import { sizeOf } from './layer';
import { ParameterFreeLayer } from './parameterFreeLayer';

/** Reshapes [B, ...shape] to [B, prod(shape)]; no parameters. */
export class Flatten extends ParameterFreeLayer {
  readonly kind = 'flatten' as const;

  constructor(name: string, inputShape: readonly number[]) {
    super(name, [...inputShape], [sizeOf(inputShape)]);
  }

  apply(x: tf.Tensor): tf.Tensor {
    return x.reshape([x.shape[0], this.outputShape[0]]);
  }
}
