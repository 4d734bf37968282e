import * as tf from '@tensorflow/tfjs';
import { glorotUniform } from './init';
import type { Layer } from './layer';

/** Fully connected layer z = A·W + b on inputs [B, inFeatures]; W is [in, out], b is [out]. */
export class Dense implements Layer {
  readonly kind = 'dense' as const;
  readonly params: readonly tf.Variable[];
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    readonly name: string,
    inputShape: readonly number[],
    readonly units: number,
    seed: number,
  ) {
    if (inputShape.length !== 1) {
      throw new Error(`${name}: Dense expects a flat input [features], got [${inputShape.join(', ')}]; add a Flatten layer`);
    }
    if (!(Number.isInteger(units) && units > 0)) throw new Error(`${name}: units must be a positive integer, got ${units}`);
    const fanIn = inputShape[0];
    this.inputShape = [fanIn];
    this.outputShape = [units];
    this.kernel = tf.tidy(() => tf.variable(glorotUniform([fanIn, units], fanIn, units, seed)));
    this.bias = tf.tidy(() => tf.variable(tf.zeros([units])));
    this.params = [this.kernel, this.bias];
  }

  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.add(tf.matMul(x as tf.Tensor2D, this.kernel as tf.Tensor2D), this.bias));
  }

  dispose(): void {
    this.kernel.dispose();
    this.bias.dispose();
  }
}
