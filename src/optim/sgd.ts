import * as tf from '@tensorflow/tfjs';
import { checkRange, checkState, checkUpdateArgs, readSlots, type Optimizer, type OptimizerState } from './types';
import { slotVariable } from './slotVariable';

export interface SgdOptions {
  lr: number;
  momentum?: number;
  nesterov?: boolean;
  /** L2 penalty added to the gradient (coupled), as in torch.optim.SGD. */
  weightDecay?: number;
}

/**
 * SGD with optional (Nesterov) momentum, as torch.optim.SGD with dampening 0:
 *   g ← g + λθ;  v ← μv + g;  d = g + μv (Nesterov) or v;  θ ← θ − η d.
 * Without momentum, θ ← θ − η g.
 */
export class Sgd implements Optimizer {
  readonly name = 'sgd' as const;
  learningRate: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  private velocity: tf.Variable[] = [];
  private step = 0;

  constructor(opts: SgdOptions) {
    checkRange('sgd', 'lr', opts.lr, 0, Infinity);
    this.learningRate = opts.lr;
    this.momentum = opts.momentum ?? 0;
    this.nesterov = opts.nesterov ?? false;
    this.weightDecay = opts.weightDecay ?? 0;
    checkRange('sgd', 'momentum', this.momentum, 0, 1, false, true);
    checkRange('sgd', 'weightDecay', this.weightDecay, 0, Infinity);
    if (this.nesterov && this.momentum === 0) throw new Error('sgd: Nesterov momentum needs momentum > 0');
  }

  get iterations(): number {
    return this.step;
  }

  apply(params: readonly tf.Variable[], grads: readonly tf.Tensor[]): void {
    checkUpdateArgs('sgd', params, grads, this.velocity.length);
    const mu = this.momentum;
    if (mu > 0 && this.velocity.length === 0) this.velocity = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    tf.tidy(() => {
      params.forEach((p, i) => {
        let g: tf.Tensor = grads[i];
        if (this.weightDecay > 0) g = tf.add(g, tf.mul(p, this.weightDecay));
        let d = g;
        if (mu > 0) {
          const v = tf.add(tf.mul(this.velocity[i], mu), g);
          this.velocity[i].assign(v);
          d = this.nesterov ? tf.add(g, tf.mul(v, mu)) : v;
        }
        p.assign(tf.sub(p, tf.mul(d, this.learningRate)));
      });
    });
    this.step++;
  }

  dispose(): void {
    tf.dispose(this.velocity);
    this.velocity = [];
  }

  async saveState(): Promise<OptimizerState> {
    return { name: 'sgd', iterations: this.step, slots: await readSlots(this.velocity) };
  }

  loadState(state: OptimizerState, params: readonly tf.Variable[]): void {
    checkState('sgd', state, params, 1);
    tf.dispose(this.velocity);
    this.velocity = state.slots.map((s) => slotVariable(s.values, s.shape));
    this.step = state.iterations;
  }
}
