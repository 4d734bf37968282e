import * as tf from '@tensorflow/tfjs';
import { stateRows, type DpNoisyUpdateAttrs, type NoisyUpdateRule } from '../kernels/kernel_names';
import { noisyUpdate } from '../kernels/noisy_update';
import { checkRange, checkState, checkUpdateArgs, type Optimizer, type OptimizerSpec, type OptimizerState } from '../optim/types';
import type { PendingNoise } from './types';
import { slotVariable } from '../optim/slotVariable';

/** Optimizers the fused noise + update kernel implements (LAMB needs whole-tensor norms: not fused). */
export function canFuse(spec: OptimizerSpec): boolean {
  return spec.name === 'sgd' || spec.name === 'adam' || spec.name === 'adamw';
}

/**
 * SGD (momentum, Nesterov, coupled weight decay), Adam (coupled L2) and AdamW (decoupled), with the
 * DP noise drawn inside the update kernel (src/kernels, DpNoisyUpdate): the noisy gradient
 * (Σ C_i g_i + σS·n)/qN is never a tensor. Same update rules and defaults as src/optim (tested equal
 * with noise off). Momentum and Adam keep their state as one [S, size] variable per parameter so a
 * pass writes it in one output; `assign` then swaps buffers, no copy.
 */
export class FusedOptimizer implements Optimizer {
  readonly name: 'sgd' | 'adam' | 'adamw';
  learningRate: number;
  private readonly rule: NoisyUpdateRule;
  private readonly hyper: { momentum: number; beta1: number; beta2: number; epsilon: number; weightDecay: number };
  private state: tf.Variable[] = [];
  private step = 0;

  constructor(spec: OptimizerSpec) {
    if (!canFuse(spec)) throw new Error(`FusedOptimizer: optimizer "${spec.name}" has no fused kernel (sgd, adam, adamw)`);
    this.name = spec.name as 'sgd' | 'adam' | 'adamw';
    checkRange(this.name, 'lr', spec.lr, 0, Infinity);
    this.learningRate = spec.lr;
    if (spec.name === 'sgd') {
      const momentum = spec.momentum ?? 0;
      checkRange('sgd', 'momentum', momentum, 0, 1, false, true);
      if (spec.nesterov && momentum === 0) throw new Error('sgd: Nesterov momentum needs momentum > 0');
      this.rule = momentum === 0 ? 'sgd' : spec.nesterov ? 'nesterov' : 'momentum';
      this.hyper = { momentum, beta1: 0, beta2: 0, epsilon: 0, weightDecay: spec.weightDecay ?? 0 };
    } else {
      const s = spec as Extract<OptimizerSpec, { name: 'adam' | 'adamw' }>;
      this.rule = s.name;
      this.hyper = {
        momentum: 0,
        beta1: s.beta1 ?? 0.9,
        beta2: s.beta2 ?? 0.999,
        epsilon: s.epsilon ?? 1e-8,
        weightDecay: s.weightDecay ?? (s.name === 'adamw' ? 0.01 : 0),
      };
      checkRange(this.name, 'beta1', this.hyper.beta1, 0, 1, false, true);
      checkRange(this.name, 'beta2', this.hyper.beta2, 0, 1, false, true);
      checkRange(this.name, 'epsilon', this.hyper.epsilon, 0, Infinity);
    }
    checkRange(this.name, 'weightDecay', this.hyper.weightDecay, 0, Infinity);
  }

  get iterations(): number {
    return this.step;
  }

  /** An ordinary update from final gradients (the same kernel with the noise off). */
  apply(params: readonly tf.Variable[], grads: readonly tf.Tensor[]): void {
    this.applyNoisy(params, grads, { key: { key0: 0, key1: 0, step: 0 }, std: 0, divisor: 1 });
  }

  /** θ ← update(θ, (sums + std·n)/divisor) with n drawn in the kernel, keyed by (key, step, i). */
  applyNoisy(params: readonly tf.Variable[], sums: readonly tf.Tensor[], noise: PendingNoise): void {
    checkUpdateArgs(this.name, params, sums, this.state.length);
    const rows = stateRows(this.rule);
    if (rows > 0 && this.state.length === 0) {
      this.state = params.map((p) => tf.tidy(() => tf.variable(tf.zeros([rows, p.size]), false)));
      this.shapes = params.map((p) => [...p.shape]);
    }
    this.step++;
    const t = this.step;
    tf.tidy(() => {
      params.forEach((p, i) => {
        const attrs: DpNoisyUpdateAttrs = {
          rule: this.rule,
          output: 'state',
          key0: noise.key.key0,
          key1: noise.key.key1,
          step: noise.key.step,
          paramIndex: i,
          std: noise.std,
          divisor: noise.divisor,
          lr: this.learningRate,
          ...this.hyper,
          biasCorrection1: 1 - this.hyper.beta1 ** t,
          biasCorrection2: 1 - this.hyper.beta2 ** t,
        };
        if (rows > 0) this.state[i].assign(noisyUpdate(p, sums[i], this.state[i], attrs));
        p.assign(noisyUpdate(p, sums[i], rows > 0 ? this.state[i] : null, { ...attrs, output: 'param' }));
      });
    });
  }

  dispose(): void {
    tf.dispose(this.state);
    this.state = [];
  }

  /**
   * State in the layout src/optim shares (slot k of parameter i at k·P + i; row 0 of the fused
   * [S, size] state is the velocity or m, row 1 is v), so a checkpoint written on the fused path
   * resumes on the plain one (e.g. on CPU after a WebGPU device loss) and back.
   */
  async saveState(): Promise<OptimizerState> {
    const rows = stateRows(this.rule);
    const values = await Promise.all(this.state.map((s) => s.data() as Promise<Float32Array>));
    const slots: OptimizerState['slots'] = [];
    for (let k = 0; k < rows && values.length > 0; k++) {
      this.state.forEach((s, i) => {
        const size = s.shape[1] as number;
        slots.push({ shape: [...this.shapes[i]], values: values[i].slice(k * size, (k + 1) * size) });
      });
    }
    return { name: this.name, iterations: this.step, slots };
  }

  loadState(state: OptimizerState, params: readonly tf.Variable[]): void {
    const rows = stateRows(this.rule);
    checkState(this.name, state, params, rows);
    tf.dispose(this.state);
    this.state = [];
    this.shapes = params.map((p) => [...p.shape]);
    if (state.slots.length > 0) {
      this.state = params.map((p, i) => {
        const packed = new Float32Array(rows * p.size);
        for (let k = 0; k < rows; k++) packed.set(state.slots[k * params.length + i].values, k * p.size);
        return slotVariable(packed, [rows, p.size]);
      });
    }
    this.step = state.iterations;
  }

  /** Parameter shapes, for writing the state back in the parameters' own shapes. */
  private shapes: number[][] = [];
}
