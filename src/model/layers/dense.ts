import * as tf from '@tensorflow/tfjs';
import { AffineLayer } from './affineLayer';

/** Fully connected layer z = A·W + b on inputs [B, inFeatures]; W is [in, out], b is [out]. */
export class Dense extends AffineLayer {
  readonly kind = 'dense' as const;

  constructor(
    name: string,
    inputShape: readonly number[],
    readonly units: number,
    seed: number,
  ) {
    if (inputShape.length !== 1) {
      throw new Error(`${name}: Dense expects a flat input [features], got [${inputShape.join(', ')}]; add a Flatten layer`);
    }
    if (!(Number.isInteger(units) && units > 0)) throw new Error(`${name}: units must be a positive integer, got ${units}`);
    const fanIn = inputShape[0];
    super(name, [fanIn], [units], { shape: [fanIn, units], fanIn, fanOut: units, seed });
  }

  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.add(tf.matMul(x as tf.Tensor2D, this.kernel as tf.Tensor2D), this.bias));
  }
}
