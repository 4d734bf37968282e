import * as tf from '@tensorflow/tfjs';
import { AffineLayer } from './affineLayer';
import { assertImageShape, type Padding, windowOutputSize } from './layer';

/**
 * 2-D convolution z = conv(A, W) + b on NHWC inputs, square kernel k×k, equal strides (1 or 2 in
 * the presets, any positive integer works). W is [k, k, C_in, C_out] (TF.js filter layout), b is [C_out].
 */
export class Conv2D extends AffineLayer {
  readonly kind = 'conv2d' as const;

  constructor(
    name: string,
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
    const kk = kernelSize * kernelSize;
    super(
      name,
      [h, w, cIn],
      [windowOutputSize(h, kernelSize, stride, padding), windowOutputSize(w, kernelSize, stride, padding), filters],
      { shape: [kernelSize, kernelSize, cIn, filters], fanIn: kk * cIn, fanOut: kk * filters, seed },
    );
  }

  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.add(tf.conv2d(x as tf.Tensor4D, this.kernel as tf.Tensor4D, this.stride, this.padding), this.bias));
  }
}
