import * as tf from '@tensorflow/tfjs';
import { glorotUniform } from './init';
import { assertImageShape, type Layer, type Padding, windowOutputSize } from './layer';

/**
 * 2-D convolution z = conv(A, W) + b on NHWC inputs, square kernel k×k, equal strides (1 or 2 in
 * the presets, any positive integer works). W is [k, k, C_in, C_out] (TF.js filter layout), b is [C_out].
 */
export class Conv2D implements Layer {
  readonly kind = 'conv2d' as const;
  readonly params: readonly tf.Variable[];
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    readonly name: string,
    inputShape: readonly number[],
    readonly filters: number,
    readonly kernelSize: number,
    readonly stride: number,
    readonly padding: Padding,
    seed: number,
  ) {
    assertImageShape(name, inputShape, kernelSize, padding);
    if (!(Number.isInteger(stride) && stride > 0)) throw new Error(`${name}: stride must be a positive integer, got ${stride}`);
    if (!(Number.isInteger(filters) && filters > 0)) throw new Error(`${name}: filters must be a positive integer, got ${filters}`);
    const [h, w, cIn] = inputShape;
    this.inputShape = [h, w, cIn];
    this.outputShape = [windowOutputSize(h, kernelSize, stride, padding), windowOutputSize(w, kernelSize, stride, padding), filters];
    const kk = kernelSize * kernelSize;
    this.kernel = tf.tidy(() => tf.variable(glorotUniform([kernelSize, kernelSize, cIn, filters], kk * cIn, kk * filters, seed)));
    this.bias = tf.tidy(() => tf.variable(tf.zeros([filters])));
    this.params = [this.kernel, this.bias];
  }

  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.add(tf.conv2d(x as tf.Tensor4D, this.kernel as tf.Tensor4D, this.stride, this.padding), this.bias));
  }

  dispose(): void {
    this.kernel.dispose();
    this.bias.dispose();
  }
}
