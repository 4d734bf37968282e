import * as tf from '@tensorflow/tfjs';
import { check, cpuOutput, cpuValues } from './cpu_util';
import { DpConv2DSqNorms, type DpConv2DSqNormsAttrs } from './kernel_names';

/**
 * Per-sample squared gradient norm of a Conv2D layer (weight and bias): ‖U_iᵀG_i‖² + ‖Σ_t G_i,t‖²,
 * with U_i the unfolded input patches [T, k·k·Cin] and G_i the output gradient [T, Cout].
 * @param x layer input [B, H, W, Cin]; @param dy ∂L/∂z [B, Ho, Wo, Cout] → [B].
 */
export function conv2dSqNorms(x: tf.Tensor4D, dy: tf.Tensor4D, kernelSize: number, stride: number, padding: 'same' | 'valid'): tf.Tensor1D {
  check(x.rank === 4 && dy.rank === 4, () => `conv2dSqNorms: x and dy must be rank 4, got [${x.shape}] and [${dy.shape}]`);
  check(x.dtype === 'float32' && dy.dtype === 'float32', () => `conv2dSqNorms: float32 inputs only, got ${x.dtype}, ${dy.dtype}`);
  check(Number.isInteger(kernelSize) && kernelSize >= 1, () => `conv2dSqNorms: kernelSize must be a positive integer, got ${kernelSize}`);
  check(Number.isInteger(stride) && stride >= 1, () => `conv2dSqNorms: stride must be a positive integer, got ${stride}`);
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
      `conv2dSqNorms: dy has shape [${dy.shape}], expected [${dy.shape[0]}, ${info.outHeight}, ${info.outWidth}, ${dy.shape[3]}] for x [${x.shape}]`,
  );
  const attrs: DpConv2DSqNormsAttrs = { kernelSize, stride, padTop: info.padInfo.top, padLeft: info.padInfo.left };
  return tf
    .engine()
    .runKernel(DpConv2DSqNorms, { x, dy } as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor1D;
}

/** CPU twin, in float64: forms each sample's [kkCin, Cout] gradient in a scratch buffer, gathering the patches from x. */
export const conv2dSqNormsCpuConfig: tf.KernelConfig = {
  kernelName: DpConv2DSqNorms,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { kernelSize: k, stride, padTop, padLeft } = attrs as unknown as DpConv2DSqNormsAttrs;
    const xv = cpuValues(backend, x);
    const gv = cpuValues(backend, dy);
    const [b, h, w, cin] = x.shape;
    const [, ho, wo, cout] = dy.shape;
    const p = k * k * cin;
    const grad = new Float64Array(p * cout);
    const bias = new Float64Array(cout);
    const out = new Float32Array(b);
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
      let s = 0;
      for (let j = 0; j < grad.length; j++) s += grad[j] * grad[j];
      for (let o = 0; o < cout; o++) s += bias[o] * bias[o];
      out[i] = s;
    }
    return cpuOutput(backend, [b], out);
  },
};
