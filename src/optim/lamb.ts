import * as tf from '@tensorflow/tfjs';
import { AdamFamily, type AdamOptions } from './adamFamily';

/**
 * LAMB (You et al., "Large batch optimization for deep learning", ICLR 2020, Algorithm 2), per
 * parameter tensor with φ = identity:
 *   m, v, m̂, v̂ as in Adam;  u = m̂/(√v̂ + ε) + λθ;
 *   trust = ‖θ‖/‖u‖ (1 if either norm is 0);  θ ← θ − η·trust·u.
 * Defaults: ε = 1e-6, λ = 0.
 */
export class Lamb extends AdamFamily<'lamb'> {
  constructor(opts: AdamOptions) {
    super('lamb', opts, { epsilon: 1e-6, weightDecay: 0 });
  }

  protected updateParam(p: tf.Variable, g: tf.Tensor, i: number): void {
    let u = this.adamDirection(i, g);
    if (this.weightDecay > 0) u = tf.add(u, tf.mul(p, this.weightDecay));
    const pNorm = tf.norm(p);
    const uNorm = tf.norm(u);
    const ok = tf.logicalAnd(tf.greater(pNorm, 0), tf.greater(uNorm, 0));
    const trust = tf.where(ok, tf.div(pNorm, tf.where(ok, uNorm, tf.onesLike(uNorm))), tf.onesLike(pNorm));
    p.assign(tf.sub(p, tf.mul(u, tf.mul(trust, this.learningRate))));
  }
}
