import * as tf from '@tensorflow/tfjs';
import type { Model } from '../model/types';
import { clipFactors, type ClipConfig, groupBound, resolveClipConfig, sensitivity } from './clip';
import { clipFactorsKernel } from '../kernels/clip_factors';
import { conv2dSqNorms } from '../kernels/conv2d_sq_norms';
import { denseSqNorms } from '../kernels/dense_sq_norms';
import { noisyUpdate } from '../kernels/noisy_update';
import type { Conv2D } from '../model/layers/conv2d';
import type { Layer } from '../model/layers/layer';
import { addAll } from './addAll';
import { ensureDpKernels, resolveDpPath } from './path';
import { parametricLayers } from './rules/registry';
import type { PerSampleRule } from './rules/rule';
import { captureTaps, disposeCapture, maskedSumLoss } from './taps';
import type { DpStepStats, GradientOptions, GradientResult, PendingNoise } from './types';

/** Tensors of one step before the diagnostics are read back. All owned by the caller. */
export interface GradientTensors {
  loss: tf.Scalar;
  grads: tf.Tensor[];
  path: 'kernels' | 'ops';
  /** Std σ·S of the Gaussian noise the step carries (in grads, or pending); 0 without noise. */
  noiseStd: number;
  /** Kernel path of a private step with opts.fusedUpdate: grads are raw clipped sums, noise (σ ≥ 0) and ÷qN pending. */
  pendingNoise?: PendingNoise;
  /** Present on the per-sample path: norms and factors [K, B] / [B], and the two sum norms. */
  diag?: {
    layerNames: string[];
    flatNorms: tf.Tensor1D;
    layerNorms: tf.Tensor2D;
    /** [B] for flat, [K, B] for layer-wise; 0 on padded rows. */
    factors: tf.Tensor;
    clippedSumNorm: tf.Scalar;
    noiseNorm: tf.Scalar;
  };
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

function checkDpOptions(cfg: ClipConfig, opts: GradientOptions): { sigma: number; divisor: number | null } {
  const sigma = opts.noiseMultiplier ?? 0;
  if (!(sigma >= 0 && Number.isFinite(sigma))) throw new Error(`computeGradients: noiseMultiplier must be finite and ≥ 0, got ${sigma}`);
  if (cfg.fn === 'none') {
    if (sigma > 0) throw new Error('computeGradients: clipping "none" is the non-private baseline and takes no noise');
    return { sigma: 0, divisor: null };
  }
  const b = opts.expectedBatchSize;
  if (b === undefined || !(b > 0 && Number.isFinite(b))) {
    throw new Error(`computeGradients: clipping "${cfg.fn}" needs expectedBatchSize (qN) > 0, got ${String(b)}`);
  }
  if (sigma > 0 && !opts.noise) throw new Error('computeGradients: noiseMultiplier > 0 needs a noise source');
  return { sigma, divisor: b };
}

/** Ordinary masked mean gradient by autodiff (no per-sample quantities). */
function plainGradients(model: Model, x: tf.Tensor, oneHot: tf.Tensor, mask: tf.Tensor1D): GradientTensors {
  return tf.tidy(() => {
    const count = tf.maximum(tf.sum(mask), 1);
    const { value, grads } = tf.variableGrads(
      () => tf.div(maskedSumLoss(model.apply(x), oneHot, mask), count) as tf.Scalar,
      model.params as tf.Variable[],
    );
    return { loss: value, grads: model.params.map((p) => grads[p.name]), path: 'ops' as const, noiseStd: 0 };
  });
}

/** One layer's per-sample squared norm [B] (all its parameters) by our kernels where one exists. */
function kernelLayerSqNorms(layer: Layer, rule: PerSampleRule, a: tf.Tensor, g: tf.Tensor): tf.Tensor1D {
  if (layer.kind === 'dense') return denseSqNorms(a as tf.Tensor2D, g as tf.Tensor2D);
  if (layer.kind === 'conv2d') {
    const c = layer as Conv2D;
    return conv2dSqNorms(a as tf.Tensor4D, g as tf.Tensor4D, c.kernelSize, c.stride, c.padding);
  }
  return addAll(rule.sqNorms(layer, a, g)) as tf.Tensor1D;
}

/** ‖noise‖ of a pending (fused) draw, by regenerating the same counter-based draws (stats only). */
function pendingNoiseNorm(model: Model, pending: PendingNoise): tf.Scalar {
  return tf.tidy(() => {
    const sq = model.params.map((p, i) => {
      const zeros = tf.zerosLike(p);
      const n = noisyUpdate(zeros, zeros, null, noiseAttrs(pending, i, 'grad', 1));
      return tf.sum(tf.square(n));
    });
    return tf.sqrt(addAll(sq)) as tf.Scalar;
  });
}

/** Attributes of a DpNoisyUpdate pass that only adds noise (rule 'grad'), or of the key part of any pass. */
export function noiseAttrs(pending: PendingNoise, paramIndex: number, rule: 'grad', divisor = pending.divisor) {
  return {
    rule,
    output: 'param' as const,
    key0: pending.key.key0,
    key1: pending.key.key1,
    step: pending.key.step,
    paramIndex,
    std: pending.std,
    divisor,
    lr: 0,
    momentum: 0,
    beta1: 0,
    beta2: 0,
    epsilon: 0,
    weightDecay: 0,
    biasCorrection1: 1,
    biasCorrection2: 1,
  };
}

/**
 * The tensor part of a (possibly private) gradient step, synchronous so it can run inside the
 * caller's scope; `computeGradients` wraps it and reads the diagnostics.
 *
 * clipping 'none' without diagnostics: ordinary autodiff gradient, mean over real rows.
 * Otherwise: one tapped backward pass → per-sample squared norms per parameter (rules) → clip
 * factors (flat or layer-wise, 0 on padded rows) → book-keeping clipped sums (rules) → + N(0, σ²S²)
 * → ÷ expectedBatchSize ('none': ÷ number of real rows, no noise).
 */
export function computeGradientTensors(
  model: Model,
  x: tf.Tensor,
  labels: tf.Tensor1D,
  mask: tf.Tensor1D,
  opts: GradientOptions,
): GradientTensors {
  checkInputs(model, x, labels, mask);
  const cfg = resolveClipConfig(opts);
  const { sigma, divisor } = checkDpOptions(cfg, opts);
  const path = resolveDpPath(opts.implementation);
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(labels, model.numClasses), 'float32'));
  try {
    if (cfg.fn === 'none' && !opts.stats) return plainGradients(model, x, oneHot, mask);
    const entries = parametricLayers(model.layers);
    if (entries.length === 0) throw new Error('computeGradients: the model has no trainable layer');
    const capture = captureTaps(
      model,
      entries.map((e) => e.layer),
      x,
      oneHot,
      mask,
    );
    try {
      const std = sigma * sensitivity(cfg);
      // Kernel path of a private step: noise (if any) and the division by qN happen in one kernel
      // pass, either DpNoisyUpdate's 'grad' rule here or inside a FusedOptimizer's update.
      const pending: PendingNoise | undefined =
        path === 'kernels' && divisor !== null
          ? { key: std > 0 ? opts.noise!.nextStepKey() : { key0: 0, key1: 0, step: 0 }, std, divisor }
          : undefined;
      const tensors = tf.tidy(() => {
        const K = entries.length;
        const bound = groupBound(cfg, K);
        const layerSqStack = tf.stack(
          entries.map(({ layer, rule }, k) =>
            path === 'kernels'
              ? kernelLayerSqNorms(layer, rule, capture.activations[k], capture.backprops[k])
              : addAll(rule.sqNorms(layer, capture.activations[k], capture.backprops[k])),
          ),
        ) as tf.Tensor2D; // [K, B]
        let factors: tf.Tensor;
        if (path === 'kernels') {
          factors = clipFactorsKernel(layerSqStack, mask, cfg.fn, cfg.style, bound, cfg.gamma);
        } else {
          const flat = tf.sqrt(tf.sum(layerSqStack, 0));
          factors =
            cfg.style === 'flat'
              ? tf.mul(clipFactors(flat, cfg, bound), mask)
              : tf.mul(clipFactors(tf.sqrt(layerSqStack), cfg, bound), tf.expandDims(mask, 0));
        }
        const sums: tf.Tensor[] = [];
        entries.forEach(({ layer, rule }, k) => {
          const c = (cfg.style === 'flat' ? factors : tf.gather(factors, k)) as tf.Tensor1D;
          sums.push(...rule.clippedSum(layer, capture.activations[k], capture.backprops[k], c));
        });
        const count = tf.sum(mask);
        const loss = tf.div(capture.lossSum, tf.maximum(count, 1)) as tf.Scalar;
        let grads: tf.Tensor[];
        let noiseNorm: (() => tf.Scalar) | null = null;
        if (pending && opts.fusedUpdate) {
          grads = sums;
          if (std > 0) noiseNorm = () => pendingNoiseNorm(model, pending);
        } else if (pending) {
          // The kernel draws the noise and divides in one pass; the noisy gradient is its output.
          grads = sums.map((s, i) => noisyUpdate(model.params[i], s, null, noiseAttrs(pending, i, 'grad')));
          if (std > 0) noiseNorm = () => pendingNoiseNorm(model, pending);
        } else {
          // Every coordinate gets its noise here whenever σ > 0 (checkDpOptions made sure of a source).
          const noises = std > 0 ? sums.map((s) => opts.noise!.normal(s.shape, std)) : [];
          if (noises.length > 0) noiseNorm = () => tf.sqrt(addAll(noises.map((n) => tf.sum(tf.square(n))))) as tf.Scalar;
          const denom = divisor === null ? tf.maximum(count, 1) : tf.scalar(divisor);
          grads = sums.map((s, i) => tf.div(noises.length > 0 ? tf.add(s, noises[i]) : s, denom));
        }
        // Diagnostics cost extra passes; the kernel path computes them only when asked for.
        const wantDiag = path === 'ops' || opts.stats === true;
        const diag = wantDiag
          ? {
              layerNames: entries.map((e) => e.layer.name),
              flatNorms: tf.sqrt(tf.sum(layerSqStack, 0)) as tf.Tensor1D,
              layerNorms: tf.sqrt(layerSqStack) as tf.Tensor2D,
              factors,
              clippedSumNorm: tf.sqrt(addAll(sums.map((s) => tf.sum(tf.square(s))))) as tf.Scalar,
              noiseNorm: noiseNorm ? noiseNorm() : (tf.scalar(0) as tf.Scalar),
            }
          : undefined;
        return { loss, grads, diag };
      });
      return { ...tensors, path, noiseStd: std, pendingNoise: pending && opts.fusedUpdate ? pending : undefined };
    } finally {
      disposeCapture(capture);
    }
  } finally {
    oneHot.dispose();
  }
}

/** Reads the diagnostics of a step (one awaited download), keeping real rows only. */
export async function readStats(
  diag: NonNullable<GradientTensors['diag']>,
  mask: tf.Tensor1D,
  clipping: GradientOptions['clipping'],
): Promise<DpStepStats> {
  const [m, flat, layer, factors, sumNorm, noiseNorm] = await Promise.all([
    mask.data(),
    diag.flatNorms.data(),
    diag.layerNorms.data(),
    diag.factors.data(),
    diag.clippedSumNorm.data(),
    diag.noiseNorm.data(),
  ]);
  const b = m.length;
  const real: number[] = [];
  for (let i = 0; i < b; i++) if (m[i] !== 0) real.push(i);
  const pick = (src: ArrayLike<number>, offset: number): Float32Array => Float32Array.from(real, (i) => src[offset + i]);
  const k = diag.layerNames.length;
  const groups = factors.length / b; // 1 (flat) or K (layer-wise)
  let clipped = 0;
  let factorSum = 0;
  for (let g = 0; g < groups; g++) {
    for (const i of real) {
      const c = factors[g * b + i];
      factorSum += c;
      if (c < 1) clipped++;
    }
  }
  const population = real.length * groups;
  const hasClipping = clipping === 'abadi' || clipping === 'global';
  return {
    perSampleNorms: pick(flat, 0),
    perLayerNorms: Array.from({ length: k }, (_, l) => pick(layer, l * b)),
    layerNames: diag.layerNames,
    realRows: real.length,
    fractionClipped: hasClipping ? (population > 0 ? clipped / population : 0) : null,
    meanClipFactor: population > 0 ? factorSum / population : 0,
    clippedSumNorm: sumNorm[0],
    noiseNorm: noiseNorm[0],
  };
}

/** Disposes the diagnostic tensors of a step. */
export function disposeDiag(diag: GradientTensors['diag']): void {
  if (!diag) return;
  tf.dispose([diag.flatNorms, diag.layerNorms, diag.factors, diag.clippedSumNorm, diag.noiseNorm]);
}

/**
 * One gradient step for the trainer, which then applies it with `applyGradients` (src/dp/applyGradients.ts):
 * that refuses a result without the noise the run needs, or with pending noise its optimizer cannot add.
 *
 * @param x       batch [B, ...model.inputShape], float32 (padded rows may hold anything finite)
 * @param labels  int32 [B] class indices
 * @param mask    float32 [B], 1 for a real row, 0 for padding
 * @returns loss (mean over real rows) and grads aligned with model.params, both owned by the caller;
 *          `stats` when opts.stats is true.
 */
export async function computeGradients(
  model: Model,
  x: tf.Tensor,
  labels: tf.Tensor1D,
  mask: tf.Tensor1D,
  opts: GradientOptions,
): Promise<GradientResult> {
  if ((opts.implementation ?? 'auto') !== 'ops') await ensureDpKernels();
  const { loss, grads, diag, path, noiseStd, pendingNoise } = computeGradientTensors(model, x, labels, mask, opts);
  if (!opts.stats || !diag) {
    disposeDiag(diag);
    return { loss, grads, path, noiseStd, pendingNoise };
  }
  try {
    const stats = await readStats(diag, mask, opts.clipping);
    return { loss, grads, stats, path, noiseStd, pendingNoise };
  } finally {
    disposeDiag(diag);
  }
}
