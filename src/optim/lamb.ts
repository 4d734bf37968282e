import * as tf from '@tensorflow/tfjs';
import { type AdamOptions, Moments } from './adam';
import { checkRange, type Optimizer, type OptimizerState } from './types';

/**
 * LAMB (You et al., "Large batch optimization for deep learning", ICLR 2020, Algorithm 2), per
 * parameter tensor with φ = identity:
 *   m, v, m̂, v̂ as in Adam;  u = m̂/(√v̂ + ε) + λθ;
 *   trust = ‖θ‖/‖u‖ (1 if either norm is 0);  θ ← θ − η·trust·u.
 * Defaults: ε = 1e-6, λ = 0.
 */
export class Lamb implements Optimizer {
  readonly name = 'lamb' as const;
  learningRate: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  private readonly moments: Moments;

  constructor(opts: AdamOptions) {
    checkRange('lamb', 'lr', opts.lr, 0, Infinity);
    this.learningRate = opts.lr;
    this.epsilon = opts.epsilon ?? 1e-6;
    this.weightDecay = opts.weightDecay ?? 0;
    checkRange('lamb', 'epsilon', this.epsilon, 0, Infinity);
    checkRange('lamb', 'weightDecay', this.weightDecay, 0, Infinity);
    this.moments = new Moments('lamb', opts.beta1 ?? 0.9, opts.beta2 ?? 0.999);
  }

  get iterations(): number {
    return this.moments.step;
  }

  apply(params: readonly tf.Variable[], grads: readonly tf.Tensor[]): void {
    this.moments.begin(params, grads);
    tf.tidy(() => {
      params.forEach((p, i) => {
        const [mHat, vHat] = this.moments.update(i, grads[i]);
        let u = tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon));
        if (this.weightDecay > 0) u = tf.add(u, tf.mul(p, this.weightDecay));
        const pNorm = tf.norm(p);
        const uNorm = tf.norm(u);
        const ok = tf.logicalAnd(tf.greater(pNorm, 0), tf.greater(uNorm, 0));
        const trust = tf.where(ok, tf.div(pNorm, tf.where(ok, uNorm, tf.onesLike(uNorm))), tf.onesLike(pNorm));
        p.assign(tf.sub(p, tf.mul(u, tf.mul(trust, this.learningRate))));
      });
    });
  }

  dispose(): void {
    this.moments.dispose();
  }

  saveState(): Promise<OptimizerState> {
    return this.moments.save('lamb');
  }

  loadState(state: OptimizerState, params: readonly tf.Variable[]): void {
    this.moments.load('lamb', state, params);
  }
}
