import * as tf from '@tensorflow/tfjs';
import { check, cpuOutput, cpuValues } from './cpu_util';
import { DpConv2DSqNorms, type DpConv2DSqNormsAttrs } from './kernel_names';

/**
 * Checks the inputs of a per-sample Conv2D kernel and computes its attributes; `op` names the op in
 * error messages. Shared by DpConv2DSqNorms and DpConv2DPerSampleGrads.
 */
export function conv2dKernelAttrs(
  op: string,
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  kernelSize: number,
  stride: number,
  padding: 'same' | 'valid',
): DpConv2DSqNormsAttrs {
  check(x.rank === 4 && dy.rank === 4, () => `${op}: x and dy must be rank 4, got [${x.shape}] and [${dy.shape}]`);
  check(x.dtype === 'float32' && dy.dtype === 'float32', () => `${op}: float32 inputs only, got ${x.dtype}, ${dy.dtype}`);
  check(Number.isInteger(kernelSize) && kernelSize >= 1, () => `${op}: kernelSize must be a positive integer, got ${kernelSize}`);
  check(Number.isInteger(stride) && stride >= 1, () => `${op}: stride must be a positive integer, got ${stride}`);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    [kernelSize, kernelSize, x.shape[3], dy.shape[3]],
    [stride, stride],
    [1, 1],
    padding,
  );
  check(
    info.batchSize === dy.shape[0] && info.outHeight === dy.shape[1] && info.outWidth === dy.shape[2],
    () =>
      `${op}: dy has shape [${dy.shape}], expected [${dy.shape[0]}, ${info.outHeight}, ${info.outWidth}, ${dy.shape[3]}] for x [${x.shape}]`,
  );
  return { kernelSize, stride, padTop: info.padInfo.top, padLeft: info.padInfo.left };
}

/**
 * Per-sample squared gradient norm of a Conv2D layer (weight and bias): ‖U_iᵀG_i‖² + ‖Σ_t G_i,t‖²,
 * with U_i the unfolded input patches [T, k·k·Cin] and G_i the output gradient [T, Cout].
 * @param x layer input [B, H, W, Cin]; @param dy ∂L/∂z [B, Ho, Wo, Cout] → [B].
 */
export function conv2dSqNorms(x: tf.Tensor4D, dy: tf.Tensor4D, kernelSize: number, stride: number, padding: 'same' | 'valid'): tf.Tensor1D {
  const attrs = conv2dKernelAttrs('conv2dSqNorms', x, dy, kernelSize, stride, padding);
  return tf
    .engine()
    .runKernel(DpConv2DSqNorms, { x, dy } as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor1D;
}

/**
 * The CPU twins' common part, in float64: for each sample i, its weight gradient U_iᵀG_i
 * [k·k·Cin·Cout] (filter order) and bias gradient [Cout], gathering the patches from x, handed to
 * `perSample` in scratch buffers that the next sample overwrites.
 */
export function conv2dSampleGradientsCpu(
  { inputs, backend, attrs }: Parameters<tf.KernelFunc>[0],
  perSample: (i: number, grad: Float64Array, bias: Float64Array) => void,
): void {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { kernelSize: k, stride, padTop, padLeft } = attrs as unknown as DpConv2DSqNormsAttrs;
  const xv = cpuValues(backend, x);
  const gv = cpuValues(backend, dy);
  const [b, h, w, cin] = x.shape;
  const [, ho, wo, cout] = dy.shape;
  const grad = new Float64Array(k * k * cin * cout);
  const bias = new Float64Array(cout);
  for (let i = 0; i < b; i++) {
    grad.fill(0);
    bias.fill(0);
    for (let oh = 0; oh < ho; oh++) {
      for (let ow = 0; ow < wo; ow++) {
        const gBase = ((i * ho + oh) * wo + ow) * cout;
        for (let o = 0; o < cout; o++) bias[o] += gv[gBase + o];
        for (let kh = 0; kh < k; kh++) {
          const ih = oh * stride - padTop + kh;
          if (ih < 0 || ih >= h) continue;
          for (let kw = 0; kw < k; kw++) {
            const iw = ow * stride - padLeft + kw;
            if (iw < 0 || iw >= w) continue;
            for (let c = 0; c < cin; c++) {
              const u = xv[((i * h + ih) * w + iw) * cin + c];
              if (u === 0) continue;
              const row = ((kh * k + kw) * cin + c) * cout;
              for (let o = 0; o < cout; o++) grad[row + o] += u * gv[gBase + o];
            }
          }
        }
      }
    }
    perSample(i, grad, bias);
  }
}

/** CPU twin, in float64: forms each sample's [kkCin, Cout] gradient in a scratch buffer, gathering the patches from x. */
export const conv2dSqNormsCpuConfig: tf.KernelConfig = {
  kernelName: DpConv2DSqNorms,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const out = new Float32Array((args.inputs.x as tf.TensorInfo).shape[0]);
    conv2dSampleGradientsCpu(args, (i, grad, bias) => {
      let s = 0;
      for (let j = 0; j < grad.length; j++) s += grad[j] * grad[j];
      for (let o = 0; o < bias.length; o++) s += bias[o] * bias[o];
      out[i] = s;
    });
    return cpuOutput(args.backend, [out.length], out);
  },
};
