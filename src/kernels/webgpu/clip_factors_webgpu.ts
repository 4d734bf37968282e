import type * as tf from '@tensorflow/tfjs';
import type { ClippingNameOrNone } from '../../clipping/functions';
import type { ClippingStyle } from '../../clipping/plan';
import { DpClipFactors, type DpClipFactorsAttrs } from '../kernel_names';
import { runProgram, type Program } from './program';

const WG = 64;

/**
 * The clip factor of `norm` in WGSL, one expression per clipping function of src/clipping/functions.ts
 * (a typed table: a new function does not compile without its case). The group bound and γ are uniforms.
 */
const FACTOR_WGSL: Record<ClippingNameOrNone, string> = {
  'auto-s': 'uniforms.bound / (norm + uniforms.gamma)',
  'auto-v': 'select(0.0, uniforms.bound / norm, norm > 0.0)',
  abadi: 'select(1.0, uniforms.bound / norm, norm > uniforms.bound)',
  global: 'select(0.0, 1.0, norm <= uniforms.bound)',
  none: '1.0',
};

/**
 * One thread per factor. Flat: thread i sums sq[·, i] over the K layers, takes the square root and
 * applies the clipping function; layer-wise: thread (k, i) uses sqrt(sq[k, i]). Both multiply by
 * mask[i]. The clipping function and style are baked into the shader (and its key).
 */
export class ClipFactorsProgram implements Program {
  variableNames = ['sq', 'mask'];
  outputShape: number[];
  workgroupSize: [number, number, number] = [WG, 1, 1];
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  shaderKey: string;
  size = true;
  uniforms = 'bound : f32, gamma : f32,';

  constructor(
    layers: number,
    batch: number,
    private readonly fn: ClippingNameOrNone,
    private readonly style: ClippingStyle,
  ) {
    this.outputShape = style === 'flat' ? [batch] : [layers, batch];
    const n = style === 'flat' ? batch : layers * batch;
    this.dispatch = [Math.ceil(n / WG), 1, 1];
    this.shaderKey = `dpClipFactors_${fn}_${style}_${WG}`;
  }

  getUserCode(): string {
    const norm =
      this.style === 'flat'
        ? `var s = 0.0;
           for (var l = 0; l < K; l = l + 1) { s = s + sq[l * B + index]; }
           let norm = sqrt(s);
           let row = index;`
        : `let norm = sqrt(sq[index]);
           let row = index % B;`;
    return `
      fn main(index : i32) {
        if (index >= uniforms.size) { return; }
        let K = uniforms.sqShape.x;
        let B = uniforms.sqShape.y;
        ${norm}
        result[index] = ${FACTOR_WGSL[this.fn]} * mask[row];
      }
    `;
  }
}

export const clipFactorsWebGpuConfig: tf.KernelConfig = {
  kernelName: DpClipFactors,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { sq, mask } = inputs as { sq: tf.TensorInfo; mask: tf.TensorInfo };
    const { fn, style, bound, gamma } = attrs as unknown as DpClipFactorsAttrs;
    const program = new ClipFactorsProgram(sq.shape[0], sq.shape[1], fn, style);
    return runProgram(
      backend,
      program,
      [sq, mask],
      [
        { type: 'float32', data: [bound] },
        { type: 'float32', data: [gamma] },
      ],
    );
  },
};
