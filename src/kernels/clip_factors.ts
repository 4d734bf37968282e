import * as tf from '@tensorflow/tfjs';
import { clippingFunction, type ClippingNameOrNone } from '../clipping/functions';
import type { ClippingStyle } from '../clipping/plan';
import { check, cpuOutput, cpuValues } from './cpu_util';
import { DpClipFactors, type DpClipFactorsAttrs } from './kernel_names';

/**
 * Clip factors for every clipping function (src/clipping/functions.ts gives the formulas) from per-layer
 * squared norms, with the row mask applied: flat → [B] from ‖g_i‖ = sqrt(Σ_k sq[k, i]);
 * layer-wise → [K, B] from sqrt(sq[k, i]).
 * @param sq per-layer per-sample squared norms [K, B]; @param mask [B], 0 on padded rows.
 */
export function clipFactorsKernel(
  sq: tf.Tensor2D,
  mask: tf.Tensor1D,
  fn: ClippingNameOrNone,
  style: ClippingStyle,
  bound: number,
  gamma: number,
): tf.Tensor {
  check(sq.rank === 2, () => `clipFactorsKernel: sq must be [K, B], got [${sq.shape}]`);
  check(mask.rank === 1 && mask.shape[0] === sq.shape[1], () => `clipFactorsKernel: mask must be [${sq.shape[1]}], got [${mask.shape}]`);
  clippingFunction(fn); // throws on an unknown name
  check(style === 'flat' || style === 'layer-wise', () => `clipFactorsKernel: unknown style "${String(style)}"`);
  check(bound > 0 && Number.isFinite(bound), () => `clipFactorsKernel: bound must be finite and > 0, got ${bound}`);
  check(gamma > 0 && Number.isFinite(gamma), () => `clipFactorsKernel: gamma must be finite and > 0, got ${gamma}`);
  const attrs: DpClipFactorsAttrs = { fn, style, bound, gamma };
  return tf
    .engine()
    .runKernel(DpClipFactors, { sq, mask } as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** The factor for one norm as the WGSL computes it: the table's formula on float32 inputs, rounded to float32. */
export function clipFactorF32(norm: number, fn: ClippingNameOrNone, bound: number, gamma: number): number {
  const f = Math.fround;
  return f(clippingFunction(fn).factor(f(norm), f(bound), f(gamma)));
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
        out[i] = clipFactorF32(Math.fround(Math.sqrt(s)), fn, bound, gamma) * mv[i];
      }
      return cpuOutput(backend, [b], out);
    }
    const out = new Float32Array(k * b);
    for (let l = 0; l < k; l++) {
      for (let i = 0; i < b; i++) out[l * b + i] = clipFactorF32(Math.fround(Math.sqrt(sv[l * b + i])), fn, bound, gamma) * mv[i];
    }
    return cpuOutput(backend, [k, b], out);
  },
};
