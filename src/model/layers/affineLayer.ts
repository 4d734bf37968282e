import * as tf from '@tensorflow/tfjs';
import { glorotUniform } from './init';
import type { Layer } from './layer';

/**
 * A parametric layer z = f(A; W) + b (Dense, Conv2D): it owns a kernel W, Glorot-uniform from the
 * layer's seed, and a bias b of zeros over the last kernel axis (the output channels), in that order.
 */
export abstract class AffineLayer implements Layer {
  abstract readonly kind: 'dense' | 'conv2d';
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
  readonly params: readonly tf.Variable[];

  protected constructor(
    readonly name: string,
    readonly inputShape: readonly number[],
    readonly outputShape: readonly number[],
    kernel: { shape: number[]; fanIn: number; fanOut: number; seed: number },
  ) {
    this.kernel = tf.tidy(() => tf.variable(glorotUniform(kernel.shape, kernel.fanIn, kernel.fanOut, kernel.seed)));
    this.bias = tf.tidy(() => tf.variable(tf.zeros([kernel.shape[kernel.shape.length - 1]])));
    this.params = [this.kernel, this.bias];
  }

  abstract apply(x: tf.Tensor): tf.Tensor;

  dispose(): void {
    this.kernel.dispose();
    this.bias.dispose();
  }
}
