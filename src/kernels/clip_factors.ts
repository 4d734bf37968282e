import * as tf from '@tensorflow/tfjs';
import type { ClippingFn, ClippingStyle } from '../dp/types';
import { check, cpuOutput, cpuValues } from './cpu_util';
import { DpClipFactors, type DpClipFactorsAttrs } from './kernel_names';

const FNS: readonly ClippingFn[] = ['none', 'abadi', 'auto-v', 'auto-s', 'global'];

/**
 * Clip factors for every clipping function (src/dp/clip.ts gives the formulas) from per-layer
 * squared norms, with the row mask applied: flat → [B] from ‖g_i‖ = sqrt(Σ_k sq[k, i]);
 * layer-wise → [K, B] from sqrt(sq[k, i]).
 * @param sq per-layer per-sample squared norms [K, B]; @param mask [B], 0 on padded rows.
 */
export function clipFactorsKernel(
  sq: tf.Tensor2D,
  mask: tf.Tensor1D,
  fn: ClippingFn,
  style: ClippingStyle,
  bound: number,
  gamma: number,
): tf.Tensor {
  check(sq.rank === 2, () => `clipFactorsKernel: sq must be [K, B], got [${sq.shape}]`);
  check(mask.rank === 1 && mask.shape[0] === sq.shape[1], () => `clipFactorsKernel: mask must be [${sq.shape[1]}], got [${mask.shape}]`);
  check(FNS.includes(fn), () => `clipFactorsKernel: unknown clipping function "${String(fn)}"`);
  check(style === 'flat' || style === 'layer-wise', () => `clipFactorsKernel: unknown style "${String(style)}"`);
  check(bound > 0 && Number.isFinite(bound), () => `clipFactorsKernel: bound must be finite and > 0, got ${bound}`);
  check(gamma > 0 && Number.isFinite(gamma), () => `clipFactorsKernel: gamma must be finite and > 0, got ${gamma}`);
  const attrs: DpClipFactorsAttrs = { fn, style, bound, gamma };
  return tf
    .engine()
    .runKernel(DpClipFactors, { sq, mask } as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** The factor for one norm (float32 rounding like the WGSL). */
export function clipFactorOf(norm: number, fn: ClippingFn, bound: number, gamma: number): number {
  switch (fn) {
    case 'none':
      return 1;
    case 'abadi':
      return norm > bound ? Math.fround(bound / norm) : 1;
    case 'auto-v':
      return norm > 0 ? Math.fround(bound / norm) : 0;
    case 'auto-s':
      return Math.fround(bound / Math.fround(norm + gamma));
    case 'global':
      return norm <= bound ? 1 : 0;
  }
}

/** CPU twin. */
export const clipFactorsCpuConfig: tf.KernelConfig = {
  kernelName: DpClipFactors,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { sq, mask } = inputs as { sq: tf.TensorInfo; mask: tf.TensorInfo };
    const { fn, style, bound: b0, gamma: g0 } = attrs as unknown as DpClipFactorsAttrs;
    const bound = Math.fround(b0);
    const gamma = Math.fround(g0);
    const sv = cpuValues(backend, sq);
    const mv = cpuValues(backend, mask);
    const [k, b] = sq.shape;
    if (style === 'flat') {
      const out = new Float32Array(b);
      for (let i = 0; i < b; i++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += sv[l * b + i];
        out[i] = clipFactorOf(Math.fround(Math.sqrt(s)), fn, bound, gamma) * mv[i];
      }
      return cpuOutput(backend, [b], out);
    }
    const out = new Float32Array(k * b);
    for (let l = 0; l < k; l++) {
      for (let i = 0; i < b; i++) out[l * b + i] = clipFactorOf(Math.fround(Math.sqrt(sv[l * b + i])), fn, bound, gamma) * mv[i];
    }
    return cpuOutput(backend, [k, b], out);
  },
};
