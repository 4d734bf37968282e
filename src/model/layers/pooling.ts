import * as tf from '@tensorflow/tfjs';
import { assertImageShape, type Padding, windowOutputSize } from './layer';
import { ParameterFreeLayer } from './parameterFreeLayer';

/** Max or average pooling over k×k windows on NHWC inputs; no parameters. */
abstract class Pool2D extends ParameterFreeLayer {
  abstract override readonly kind: 'maxpool2d' | 'avgpool2d';

  constructor(
    name: string,
    inputShape: readonly number[],
    readonly poolSize: number,
    readonly stride: number,
    readonly padding: Padding,
  ) {
    assertImageShape(name, inputShape, poolSize, padding);
    const [h, w, c] = inputShape;
    super(name, [h, w, c], [windowOutputSize(h, poolSize, stride, padding), windowOutputSize(w, poolSize, stride, padding), c]);
  }
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
