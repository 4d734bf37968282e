import * as tf from '@tensorflow/tfjs';
import { type AdamOptions, Moments } from './adam';
import { checkRange, type Optimizer, type OptimizerState } from './types';

/**
 * AdamW (Loshchilov & Hutter 2019), as torch.optim.AdamW: decoupled weight decay
 * θ ← θ(1 − ηλ), then the Adam step on the raw gradient. Default λ = 0.01.
 */
export class AdamW implements Optimizer {
  readonly name = 'adamw' as const;
  learningRate: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  private readonly moments: Moments;

  constructor(opts: AdamOptions) {
    checkRange('adamw', 'lr', opts.lr, 0, Infinity);
    this.learningRate = opts.lr;
    this.epsilon = opts.epsilon ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0.01;
    checkRange('adamw', 'epsilon', this.epsilon, 0, Infinity);
    checkRange('adamw', 'weightDecay', this.weightDecay, 0, Infinity);
    this.moments = new Moments('adamw', opts.beta1 ?? 0.9, opts.beta2 ?? 0.999);
  }

  get iterations(): number {
    return this.moments.step;
  }

  apply(params: readonly tf.Variable[], grads: readonly tf.Tensor[]): void {
    this.moments.begin(params, grads);
    tf.tidy(() => {
      params.forEach((p, i) => {
        const decayed = tf.mul(p, 1 - this.learningRate * this.weightDecay);
        const [mHat, vHat] = this.moments.update(i, grads[i]);
        p.assign(tf.sub(decayed, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), this.learningRate)));
      });
    });
  }

  dispose(): void {
    this.moments.dispose();
  }

  saveState(): Promise<OptimizerState> {
    return this.moments.save('adamw');
  }

  loadState(state: OptimizerState, params: readonly tf.Variable[]): void {
    this.moments.load('adamw', state, params);
  }
}
