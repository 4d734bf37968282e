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
  /**
   * The optimizer's state for a checkpoint, in a layout every implementation shares: slot k of
   * parameter i is `slots[k * params + i]` (SGD: velocity; Adam/AdamW/LAMB: m then v). Empty slots
   * before the first step.
   */
  saveState(): Promise<OptimizerState>;
  /** Restores what `saveState` returned (same optimizer, same parameter shapes). */
  loadState(state: OptimizerState, params: readonly tf.Variable[]): void;
}

export interface OptimizerState {
  name: OptimizerName;
  iterations: number;
  slots: { shape: number[]; values: Float32Array }[];
}

/** Reads variables into plain arrays (one awaited read each; no sync reads on WebGPU). */
export async function readSlots(vars: readonly tf.Tensor[]): Promise<OptimizerState['slots']> {
  return Promise.all(vars.map(async (v) => ({ shape: [...v.shape], values: (await v.data()) as Float32Array })));
}

/** Checks a saved state against the optimizer and parameters before anything is assigned. */
export function checkState(name: OptimizerName, state: OptimizerState, params: readonly tf.Variable[], slotsPerParam: number): void {
  if (state.name !== name) throw new Error(`${name}: cannot load the state of a "${state.name}" optimizer`);
  if (!(Number.isInteger(state.iterations) && state.iterations >= 0)) throw new Error(`${name}: bad iteration count ${state.iterations}`);
  if (state.slots.length === 0) return;
  if (state.slots.length !== slotsPerParam * params.length) {
    throw new Error(`${name}: state has ${state.slots.length} slots, expected ${slotsPerParam * params.length}`);
  }
  state.slots.forEach((s, j) => {
    const p = params[j % params.length];
    if (s.shape.length !== p.shape.length || s.shape.some((d, k) => d !== p.shape[k]) || s.values.length !== p.size) {
      throw new Error(`${name}: state slot ${j} has shape [${s.shape.join(', ')}], parameter has [${p.shape.join(', ')}]`);
    }
  });
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
