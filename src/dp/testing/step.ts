import type * as tf from '@tensorflow/tfjs';
import type { Model } from '../../model/types';
import { computeGradients, computeGradientTensors } from '../step';
import { stepPlan, type StepSettings } from './stepPlan';

/**
 * One DP step's tensors from plain settings, with the gradient read as final gradients: for tests of
 * the paths that return them (ops, kernel path without a fused update, no privacy). Throws on a
 * pending gradient.
 */
export function stepTensors(model: Model, x: tf.Tensor, labels: tf.Tensor1D, mask: tf.Tensor1D, s: StepSettings) {
  const t = computeGradientTensors(model, x, labels, mask, stepPlan(s));
  if (t.gradient.kind !== 'final') throw new Error('stepTensors: the step left its noise pending (fused update); read t.gradient instead');
  return { loss: t.loss, grads: t.gradient.grads, noiseStd: t.gradient.noiseStd, diag: t.diag, path: t.path };
}

/** `computeGradients` from plain settings, with the gradient read as final gradients (see `stepTensors`). */
export async function stepGradients(model: Model, x: tf.Tensor, labels: tf.Tensor1D, mask: tf.Tensor1D, s: StepSettings) {
  const r = await computeGradients(model, x, labels, mask, stepPlan(s));
  if (r.gradient.kind !== 'final')
    throw new Error('stepGradients: the step left its noise pending (fused update); read r.gradient instead');
  return { loss: r.loss, grads: r.gradient.grads, noiseStd: r.gradient.noiseStd, stats: r.stats, path: r.path };
}
