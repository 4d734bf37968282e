import * as tf from '@tensorflow/tfjs';
import { cpuOutput } from './cpu_util';
import { conv2dKernelAttrs, conv2dSampleGradientsCpu } from './conv2d_sq_norms';
import { DpConv2DPerSampleGrads, type DpConv2DPerSampleGradsAttrs } from './kernel_names';

/**
 * Per-sample gradients of a Conv2D layer's weight and bias, [B, k·k·Cin·Cout + Cout]: row i is
 * U_iᵀG_i in the filter's [k, k, Cin, Cout] order, then Σ_t G_i,t.
 * @param x layer input [B, H, W, Cin]; @param dy ∂L/∂z [B, Ho, Wo, Cout].
 */
export function conv2dPerSampleGrads(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  kernelSize: number,
  stride: number,
  padding: 'same' | 'valid',
): tf.Tensor2D {
  const attrs = conv2dKernelAttrs('conv2dPerSampleGrads', x, dy, kernelSize, stride, padding);
  return tf
    .engine()
    .runKernel(DpConv2DPerSampleGrads, { x, dy } as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}

/** CPU twin: each sample's gradient formed in float64 (as DpConv2DSqNorms's twin does), stored as float32. */
export const conv2dPerSampleGradsCpuConfig: tf.KernelConfig = {
  kernelName: DpConv2DPerSampleGrads,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { kernelSize: k } = args.attrs as unknown as DpConv2DPerSampleGradsAttrs;
    const cout = dy.shape[3];
    const n = k * k * x.shape[3] * cout + cout;
    const out = new Float32Array(x.shape[0] * n);
    conv2dSampleGradientsCpu(args, (i, grad, bias) => {
      out.set(grad, i * n);
      out.set(bias, i * n + grad.length);
    });
    return cpuOutput(args.backend, [x.shape[0], n], out);
  },
};
