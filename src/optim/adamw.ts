import * as tf from '@tensorflow/tfjs';
import { AdamFamily, type AdamOptions } from './adamFamily';

/**
 * AdamW (Loshchilov & Hutter 2019), as torch.optim.AdamW: decoupled weight decay
 * θ ← θ(1 − ηλ), then the Adam step on the raw gradient. Default λ = 0.01.
 */
export class AdamW extends AdamFamily<'adamw'> {
  constructor(opts: AdamOptions) {
    super('adamw', opts, { epsilon: 1e-8, weightDecay: 0.01 });
  }

  protected updateParam(p: tf.Variable, g: tf.Tensor, i: number): void {
    const decayed = tf.mul(p, 1 - this.learningRate * this.weightDecay);
    p.assign(tf.sub(decayed, tf.mul(this.adamDirection(i, g), this.learningRate)));
  }
}
