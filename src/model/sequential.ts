import * as tf from '@tensorflow/tfjs';
import type { Layer } from './layers/layer';
import type { Model, ModelSpec } from './types';

/** A model that applies its layers in order. */
export class SequentialModel implements Model {
  readonly params: readonly tf.Variable[];

  constructor(
    readonly spec: ModelSpec,
    readonly inputShape: readonly number[],
    readonly numClasses: number,
    readonly layers: readonly Layer[],
  ) {
    const last = layers[layers.length - 1];
    if (!last || last.outputShape.length !== 1 || last.outputShape[0] !== numClasses) {
      throw new Error(`SequentialModel: the last layer must output [${numClasses}] logits`);
    }
    const names = new Set(layers.map((l) => l.name));
    if (names.size !== layers.length) throw new Error('SequentialModel: layer names must be unique');
    this.params = layers.flatMap((l) => l.params);
  }

  apply(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      let h = x;
      for (const layer of this.layers) h = layer.apply(h);
      return h as tf.Tensor2D;
    });
  }

  dispose(): void {
    for (const layer of this.layers) layer.dispose();
  }
}
