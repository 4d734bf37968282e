import type * as tf from '@tensorflow/tfjs';

/** Serialisable optimizer choice; defaults follow PyTorch. */
export type OptimizerSpec =
  | { name: 'sgd'; lr: number; momentum?: number; nesterov?: boolean; weightDecay?: number }
  | { name: 'adam'; lr: number; beta1?: number; beta2?: number; epsilon?: number; weightDecay?: number }
  | { name: 'adamw'; lr: number; beta1?: number; beta2?: number; epsilon?: number; weightDecay?: number }
  | { name: 'lamb'; lr: number; beta1?: number; beta2?: number; epsilon?: number; weightDecay?: number };

export type OptimizerName = OptimizerSpec['name'];

/**
 * Applies updates to variables from gradients computed elsewhere (e.g. the private gradient of
 * src/dp). The same optimizers serve private and non-private training.
 */
export interface Optimizer {
  readonly name: OptimizerName;
  /** Current learning rate (may be changed between steps, e.g. by a schedule). */
  learningRate: number;
  /** One update in place. `grads[i]` belongs to `params[i]`; the order must stay fixed across calls. Grads are not disposed. */
  apply(params: readonly tf.Variable[], grads: readonly tf.Tensor[]): void;
  /** Number of updates applied so far. */
  readonly iterations: number;
  /** Frees optimizer state (moment estimates). */
  dispose(): void;
}

export function checkUpdateArgs(name: string, params: readonly tf.Variable[], grads: readonly tf.Tensor[], slots: number): void {
  if (params.length !== grads.length) throw new Error(`${name}: ${params.length} params but ${grads.length} gradients`);
  if (slots !== 0 && slots !== params.length) throw new Error(`${name}: parameter list changed from ${slots} to ${params.length} entries`);
  params.forEach((p, i) => {
    const g = grads[i];
    if (p.shape.length !== g.shape.length || p.shape.some((d, j) => d !== g.shape[j])) {
      throw new Error(`${name}: gradient ${i} has shape [${g.shape.join(', ')}], param has [${p.shape.join(', ')}]`);
    }
  });
}

export function checkRange(name: string, field: string, v: number, lo: number, hi: number, loOpen = false, hiOpen = false): void {
  const okLo = loOpen ? v > lo : v >= lo;
  const okHi = hiOpen ? v < hi : v <= hi;
  if (!(Number.isFinite(v) && okLo && okHi)) {
    throw new Error(`${name}: ${field} must be in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${v}`);
  }
}
