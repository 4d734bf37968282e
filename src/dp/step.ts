import * as tf from '@tensorflow/tfjs';
import type { Model } from '../model/types';
import { clipFactors } from './clipFactors';
import { clippedSums } from './clippedSum';
import { disposeDiagnostics, readStats, stepDiagnostics, type StepDiagnostics } from './diagnostics';
import { addNoiseAndScale } from './noiseAndScale';
import { ensureDpKernels, resolveDpPath } from './path';
import { perSampleGrams, readGramTensors, type GramTensors } from './gram';
import { perSampleSqNorms } from './perSampleNorms';
import { parametricLayers } from './rules/registry';
import type { DpStepPlan } from './stepPlan';
import { captureTaps, disposeCapture, maskedSumLoss } from './taps';
import type { GradientResult, PrivateGradient } from './types';

/**
 * The DP step (DP-SGD with per-sample clipping; Abadi et al. 2016, Bu et al. 2023), as the
 * algorithm reads:
 *   one tapped forward/backward pass
 *   → per-sample squared norms per layer      (perSampleNorms.ts)
 *   → clip factors                            (clipFactors.ts; the functions in src/clipping)
 *   → clipped sum Σ_i C_i g_i by book-keeping (clippedSum.ts)
 *   → + N(0, σ²S²), ÷ qN                      (noiseAndScale.ts)
 * Without privacy and without statistics it is the ordinary autodiff mean gradient.
 */

/** Tensors of one step before the diagnostics are read back. All owned by the caller. */
export interface StepTensors {
  loss: tf.Scalar;
  gradient: PrivateGradient;
  path: 'kernels' | 'ops';
  /** Present when the plan asks for statistics. */
  diag?: StepDiagnostics;
  /** Present when the call asks for the gradient plane's inputs. */
  gram?: GramTensors;
}

/** Per-call options: what this step computes beyond the plan (only the inspected steps ask). */
export interface StepOptions {
  /** Also the per-layer per-sample Gram matrices and the clip factors (src/dp/gradientPlane.ts). */
  gram?: boolean;
}

function checkInputs(model: Model, x: tf.Tensor, labels: tf.Tensor1D, mask: tf.Tensor1D): void {
  const b = x.shape[0];
  const expected = [b, ...model.inputShape];
  if (x.shape.length !== expected.length || x.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`computeGradients: x has shape [${x.shape.join(', ')}], expected [${expected.join(', ')}]`);
  }
  if (labels.shape.length !== 1 || labels.shape[0] !== b)
    throw new Error(`computeGradients: labels must be [${b}], got [${labels.shape.join(', ')}]`);
  if (labels.dtype !== 'int32') throw new Error(`computeGradients: labels must be int32, got ${labels.dtype}`);
  if (mask.shape.length !== 1 || mask.shape[0] !== b)
    throw new Error(`computeGradients: mask must be [${b}], got [${mask.shape.join(', ')}]`);
  if (mask.dtype !== 'float32') throw new Error(`computeGradients: mask must be float32, got ${mask.dtype}`);
}

/** Ordinary masked mean gradient by autodiff (no per-sample quantities). */
function plainGradient(model: Model, x: tf.Tensor, oneHot: tf.Tensor, mask: tf.Tensor1D): StepTensors {
  return tidyKeep((): StepTensors => {
    const count = tf.maximum(tf.sum(mask), 1);
    const { value, grads } = tf.variableGrads(
      () => tf.div(maskedSumLoss(model.apply(x), oneHot, mask), count) as tf.Scalar,
      model.params as tf.Variable[],
    );
    return { loss: value, gradient: { kind: 'final', grads: model.params.map((p) => grads[p.name]), noiseStd: 0 }, path: 'ops' };
  });
}

/**
 * The tensor part of a step, synchronous so it can run inside the caller's scope; `computeGradients`
 * wraps it and reads the diagnostics. Run `ensureDpKernels` first on the kernel path.
 */
export function computeGradientTensors(
  model: Model,
  x: tf.Tensor,
  labels: tf.Tensor1D,
  mask: tf.Tensor1D,
  plan: DpStepPlan,
  options: StepOptions = {},
): StepTensors {
  checkInputs(model, x, labels, mask);
  const path = resolveDpPath(plan.implementation);
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(labels, model.numClasses), 'float32'));
  try {
    if (plan.expectedBatchSize === null && !plan.stats && !options.gram) return plainGradient(model, x, oneHot, mask);
    const layers = parametricLayers(model.layers);
    if (layers.length === 0) throw new Error('computeGradients: the model has no trainable layer');
    const capture = captureTaps(
      model,
      layers.map((e) => e.layer),
      x,
      oneHot,
      mask,
    );
    try {
      return tidyKeep((): StepTensors => {
        const { sq, grads } = perSampleSqNorms(layers, capture, path, plan.perSampleGradBytes);
        const factors = clipFactors(sq, mask, plan.clip, path);
        const sums = clippedSums(layers, capture, factors, plan.clip.style, grads);
        const realRows = tf.sum(mask) as tf.Scalar;
        const loss = tf.div(capture.lossSum, tf.maximum(realRows, 1)) as tf.Scalar;
        const { gradient, noiseNorm } = addNoiseAndScale(sums, realRows, plan, path, plan.stats);
        const diag = plan.stats ? stepDiagnostics(layers, sq, factors, sums, noiseNorm) : undefined;
        const gram = options.gram ? { grams: perSampleGrams(layers, capture), factors } : undefined;
        return { loss, gradient, path, diag, gram };
      });
    } finally {
      disposeCapture(capture);
    }
  } finally {
    oneHot.dispose();
  }
}

/**
 * One gradient step for the trainer, which then applies it with `applyGradients`.
 *
 * @param x       batch [B, ...model.inputShape], float32 (padded rows may hold anything finite)
 * @param labels  int32 [B] class indices
 * @param mask    float32 [B], 1 for a real row, 0 for padding
 * @returns the loss (mean over real rows) and the gradient, owned by the caller; `stats` when the
 *          plan asks for them.
 */
export async function computeGradients(
  model: Model,
  x: tf.Tensor,
  labels: tf.Tensor1D,
  mask: tf.Tensor1D,
  plan: DpStepPlan,
  options: StepOptions = {},
): Promise<GradientResult> {
  if (plan.implementation !== 'ops') await ensureDpKernels();
  const { loss, gradient, diag, path, gram: gramTensors } = computeGradientTensors(model, x, labels, mask, plan, options);
  try {
    // One wait for both read-backs (a step that shows the plane would otherwise stall twice).
    const [gram, stats] = await Promise.all([
      gramTensors ? readGramTensors(gramTensors) : undefined,
      diag ? readStats(diag, mask, plan.clip) : undefined,
    ]);
    return { loss, gradient, stats, path, gram };
  } finally {
    if (diag) disposeDiagnostics(diag);
    if (gramTensors) tf.dispose([gramTensors.grams, gramTensors.factors]);
  }
}

/**
 * tf.tidy for a function that returns a structured result (interfaces have no index signature, so
 * TF.js's TensorContainer type does not admit them, though tidy keeps every tensor it finds in them).
 */
function tidyKeep<T extends object>(f: () => T): T {
  return tf.tidy(f as unknown as () => tf.TensorContainer) as unknown as T;
}

/** The tensors a gradient holds (to dispose after applying it). */
export function gradientTensors(g: PrivateGradient): tf.Tensor[] {
  return g.kind === 'final' ? g.grads : g.sums;
}
