import * as tf from '@tensorflow/tfjs';
import { assertImageShape, type Layer, type Padding, windowOutputSize } from './layer';

/** Max or average pooling over k×k windows on NHWC inputs; no parameters. */
abstract class Pool2D implements Layer {
  abstract readonly kind: 'maxpool2d' | 'avgpool2d';
  readonly params: readonly tf.Variable[] = [];
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];

  constructor(
    readonly name: string,
    inputShape: readonly number[],
    readonly poolSize: number,
    readonly stride: number,
    readonly padding: Padding,
  ) {
    assertImageShape(name, inputShape, poolSize, padding);
    const [h, w, c] = inputShape;
    this.inputShape = [h, w, c];
    this.outputShape = [windowOutputSize(h, poolSize, stride, padding), windowOutputSize(w, poolSize, stride, padding), c];
  }

  abstract apply(x: tf.Tensor): tf.Tensor;

  dispose(): void {}
}

export class MaxPool2D extends Pool2D {
  readonly kind = 'maxpool2d' as const;
  apply(x: tf.Tensor): tf.Tensor {
    return tf.maxPool(x as tf.Tensor4D, this.poolSize, this.stride, this.padding);
  }
}

export class AvgPool2D extends Pool2D {
  readonly kind = 'avgpool2d' as const;
  apply(x: tf.Tensor): tf.Tensor {
    return tf.avgPool(x as tf.Tensor4D, this.poolSize, this.stride, this.padding);
  }
}
