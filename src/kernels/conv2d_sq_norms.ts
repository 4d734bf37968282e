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

/**
 * Unfolded patches of sample i into u [T, P] (float64), P ordered like the filter's [k, k, Cin] axes.
 */
function unfoldSample(
  xv: ArrayLike<number>,
  i: number,
  [h, w, cin]: number[],
  [ho, wo]: number[],
  { kernelSize: k, stride, padTop, padLeft }: DpConv2DSqNormsAttrs,
  u: Float64Array,
): void {
  const p = k * k * cin;
  u.fill(0);
  for (let oh = 0; oh < ho; oh++) {
    for (let ow = 0; ow < wo; ow++) {
      const row = (oh * wo + ow) * p;
      for (let kh = 0; kh < k; kh++) {
        const ih = oh * stride - padTop + kh;
        if (ih < 0 || ih >= h) continue;
        for (let kw = 0; kw < k; kw++) {
          const iw = ow * stride - padLeft + kw;
          if (iw < 0 || iw >= w) continue;
          for (let c = 0; c < cin; c++) u[row + (kh * k + kw) * cin + c] = xv[((i * h + ih) * w + iw) * cin + c];
        }
      }
    }
  }
}

/** ‖Uᵀg‖² with U [T, P] and g [T, Cout] (offset gOff in gv), by forming Uᵀg. */
function instantiatedSq(
  u: Float64Array,
  gv: ArrayLike<number>,
  gOff: number,
  t: number,
  p: number,
  cout: number,
  grad: Float64Array,
): number {
  grad.fill(0);
  for (let s = 0; s < t; s++) {
    for (let j = 0; j < p; j++) {
      const v = u[s * p + j];
      if (v === 0) continue;
      for (let o = 0; o < cout; o++) grad[j * cout + o] += v * gv[gOff + s * cout + o];
    }
  }
  let sq = 0;
  for (let j = 0; j < grad.length; j++) sq += grad[j] * grad[j];
  return sq;
}

/** CPU twin, in float64: unfolds each sample's patches and forms its [kkCin, Cout] gradient. */
export const conv2dSqNormsCpuConfig: tf.KernelConfig = {
  kernelName: DpConv2DSqNorms,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const a = attrs as unknown as DpConv2DSqNormsAttrs;
    const xv = cpuValues(backend, x);
    const gv = cpuValues(backend, dy);
    const [b, , , cin] = x.shape;
    const [, ho, wo, cout] = dy.shape;
    const t = ho * wo;
    const p = a.kernelSize * a.kernelSize * cin;
    const u = new Float64Array(t * p);
    const grad = new Float64Array(p * cout);
    const out = new Float32Array(b);
    for (let i = 0; i < b; i++) {
      unfoldSample(xv, i, x.shape.slice(1), [ho, wo], a, u);
      const gOff = i * t * cout;
      let sq = instantiatedSq(u, gv, gOff, t, p, cout, grad);
      for (let o = 0; o < cout; o++) {
        let bias = 0;
        for (let s = 0; s < t; s++) bias += gv[gOff + s * cout + o];
        sq += bias * bias;
      }
      out[i] = sq;
    }
    return cpuOutput(backend, [b], out);
  },
};
