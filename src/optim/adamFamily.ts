import * as tf from '@tensorflow/tfjs';
import { slotVariable } from './slotVariable';
import { checkRange, checkState, checkUpdateArgs, readSlots, type Optimizer, type OptimizerState } from './types';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

type AdamFamilyName = 'adam' | 'adamw' | 'lamb';

/**
 * What Adam, AdamW and LAMB share, so that each of them states only its update rule: the checked
 * hyperparameters (β1, β2 default 0.9, 0.999; ε and λ defaults differ per member, as in PyTorch),
 * the moment estimates m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g² with their bias correction, the
 * step count, and the checkpoint state (slots m₀…m_{P−1}, v₀…v_{P−1}; iterations = the step).
 */
export abstract class AdamFamily<N extends AdamFamilyName> implements Optimizer {
  learningRate: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  private m: tf.Variable[] = [];
  private v: tf.Variable[] = [];
  private step = 0;

  protected constructor(
    readonly name: N,
    opts: AdamOptions,
    defaults: { epsilon: number; weightDecay: number },
  ) {
    checkRange(name, 'lr', opts.lr, 0, Infinity);
    this.learningRate = opts.lr;
    this.epsilon = opts.epsilon ?? defaults.epsilon;
    this.weightDecay = opts.weightDecay ?? defaults.weightDecay;
    checkRange(name, 'epsilon', this.epsilon, 0, Infinity);
    checkRange(name, 'weightDecay', this.weightDecay, 0, Infinity);
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    checkRange(name, 'beta1', this.beta1, 0, 1, false, true);
    checkRange(name, 'beta2', this.beta2, 0, 1, false, true);
  }

  get iterations(): number {
    return this.step;
  }

  /** The member's rule for parameter i with gradient g; runs inside one tf.tidy per step. */
  protected abstract updateParam(p: tf.Variable, g: tf.Tensor, i: number): void;

  apply(params: readonly tf.Variable[], grads: readonly tf.Tensor[]): void {
    checkUpdateArgs(this.name, params, grads, this.m.length);
    if (this.m.length === 0) {
      this.m = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
      this.v = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    }
    this.step++;
    tf.tidy(() => params.forEach((p, i) => this.updateParam(p, grads[i], i)));
  }

  /** Updates m, v of parameter i with gradient g; returns Adam's direction m̂/(√v̂ + ε). */
  protected adamDirection(i: number, g: tf.Tensor): tf.Tensor {
    const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1));
    const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
    this.m[i].assign(m);
    this.v[i].assign(v);
    const mHat = tf.div(m, 1 - this.beta1 ** this.step);
    const vHat = tf.div(v, 1 - this.beta2 ** this.step);
    return tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon));
  }

  dispose(): void {
    tf.dispose(this.m);
    tf.dispose(this.v);
    this.m = [];
    this.v = [];
  }

  async saveState(): Promise<OptimizerState> {
    return { name: this.name, iterations: this.step, slots: await readSlots([...this.m, ...this.v]) };
  }

  loadState(state: OptimizerState, params: readonly tf.Variable[]): void {
    checkState(this.name, state, params, 2);
    this.dispose();
    const vars = state.slots.map((s) => slotVariable(s.values, s.shape));
    this.m = vars.slice(0, params.length);
    this.v = vars.slice(params.length);
    this.step = state.iterations;
  }
}
