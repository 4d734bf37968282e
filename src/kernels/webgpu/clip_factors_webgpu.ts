import type * as tf from '@tensorflow/tfjs';
import type { ClippingFn, ClippingStyle } from '../../dp/types';
import { DpClipFactors, type DpClipFactorsAttrs } from '../kernel_names';
import { runProgram, type Program } from './program';

const WG = 64;

/** WGSL expression of the clip factor for `norm` (src/dp/clip.ts gives the definitions). */
function factorExpr(fn: ClippingFn): string {
  switch (fn) {
    case 'none':
      return '1.0';
    case 'abadi':
      return 'select(1.0, uniforms.bound / norm, norm > uniforms.bound)';
    case 'auto-v':
      return 'select(0.0, uniforms.bound / norm, norm > 0.0)';
    case 'auto-s':
      return 'uniforms.bound / (norm + uniforms.gamma)';
    case 'global':
      return 'select(0.0, 1.0, norm <= uniforms.bound)';
  }
}

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
    private readonly fn: ClippingFn,
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
        result[index] = ${factorExpr(this.fn)} * mask[row];
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
