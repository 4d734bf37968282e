import type * as tf from '@tensorflow/tfjs';
import { type Layer, sizeOf } from './layer';

/** Reshapes [B, ...shape] to [B, prod(shape)]; no parameters. */
export class Flatten implements Layer {
  readonly kind = 'flatten' as const;
  readonly params: readonly tf.Variable[] = [];
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];

  constructor(
    readonly name: string,
    inputShape: readonly number[],
  ) {
    this.inputShape = [...inputShape];
    this.outputShape = [sizeOf(inputShape)];
  }

  apply(x: tf.Tensor): tf.Tensor {
    return x.reshape([x.shape[0], this.outputShape[0]]);
  }

  dispose(): void {}
}
