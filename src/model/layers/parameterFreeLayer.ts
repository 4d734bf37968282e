import type * as tf from '@tensorflow/tfjs';
import type { Layer, LayerKind } from './layer';

/** A layer without parameters (activation, flatten, pooling): it maps shapes and owns no memory. */
export abstract class ParameterFreeLayer implements Layer {
  abstract readonly kind: LayerKind;
  readonly params: readonly tf.Variable[] = [];

  protected constructor(
    readonly name: string,
    readonly inputShape: readonly number[],
    readonly outputShape: readonly number[],
  ) {}

  abstract apply(x: tf.Tensor): tf.Tensor;

  dispose(): void {}
}
