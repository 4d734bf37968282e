import * as tf from '@tensorflow/tfjs';
import { checkRange, checkState, checkUpdateArgs, readSlots, type Optimizer, type OptimizerState } from './types';
import { slotVariable } from './slotVariable';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

/** Moment estimates shared by Adam, AdamW and LAMB. */
export class Moments {
  m: tf.Variable[] = [];
  v: tf.Variable[] = [];
  step = 0;

  constructor(
    readonly name: string,
    readonly beta1: number,
    readonly beta2: number,
  ) {
    checkRange(name, 'beta1', beta1, 0, 1, false, true);
    checkRange(name, 'beta2', beta2, 0, 1, false, true);
  }

  /** Checks arguments, creates state on first use and advances the step counter. */
  begin(params: readonly tf.Variable[], grads: readonly tf.Tensor[]): void {
    checkUpdateArgs(this.name, params, grads, this.m.length);
    if (this.m.length === 0) {
      this.m = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
      this.v = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    }
    this.step++;
  }

  /** Updates m, v of parameter i with gradient g; returns the bias-corrected (m̂, v̂). */
  update(i: number, g: tf.Tensor): [tf.Tensor, tf.Tensor] {
    const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1));
    const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
    this.m[i].assign(m);
    this.v[i].assign(v);
    return [tf.div(m, 1 - this.beta1 ** this.step), tf.div(v, 1 - this.beta2 ** this.step)];
  }

  dispose(): void {
    tf.dispose(this.m);
    tf.dispose(this.v);
    this.m = [];
    this.v = [];
  }

  /** Slots m₀…m_{P−1}, v₀…v_{P−1}; iterations = the bias-correction step. */
  async save(name: OptimizerState['name']): Promise<OptimizerState> {
    return { name, iterations: this.step, slots: await readSlots([...this.m, ...this.v]) };
  }

  load(name: OptimizerState['name'], state: OptimizerState, params: readonly tf.Variable[]): void {
    checkState(name, state, params, 2);
    this.dispose();
    const vars = state.slots.map((s) => slotVariable(s.values, s.shape));
    this.m = vars.slice(0, params.length);
    this.v = vars.slice(params.length);
    this.step = state.iterations;
  }
}

/**
 * Adam (Kingma & Ba 2015), as torch.optim.Adam: g ← g + λθ (coupled L2, default λ = 0);
 * m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²; θ ← θ − η m̂/(√v̂ + ε) with m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ).
 */
export class Adam implements Optimizer {
  readonly name = 'adam' as const;
  learningRate: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  private readonly moments: Moments;

  constructor(opts: AdamOptions) {
    const name = 'adam';
    checkRange(name, 'lr', opts.lr, 0, Infinity);
    this.learningRate = opts.lr;
    this.epsilon = opts.epsilon ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    checkRange(name, 'epsilon', this.epsilon, 0, Infinity);
    checkRange(name, 'weightDecay', this.weightDecay, 0, Infinity);
    this.moments = new Moments(name, opts.beta1 ?? 0.9, opts.beta2 ?? 0.999);
  }

  get iterations(): number {
    return this.moments.step;
  }

  apply(params: readonly tf.Variable[], grads: readonly tf.Tensor[]): void {
    this.moments.begin(params, grads);
    tf.tidy(() => {
      params.forEach((p, i) => {
        const g = this.weightDecay > 0 ? tf.add(grads[i], tf.mul(p, this.weightDecay)) : grads[i];
        const [mHat, vHat] = this.moments.update(i, g);
        p.assign(tf.sub(p, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), this.learningRate)));
      });
    });
  }

  dispose(): void {
    this.moments.dispose();
  }

  saveState(): Promise<OptimizerState> {
    return this.moments.save('adam');
  }

  loadState(state: OptimizerState, params: readonly tf.Variable[]): void {
    this.moments.load('adam', state, params);
  }
}
