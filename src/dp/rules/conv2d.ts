import * as tf from '@tensorflow/tfjs';
import { conv2dPerSampleGrads } from '../../kernels/conv2d_per_sample_grads';
import { conv2dSqNorms as conv2dSqNormsKernel } from '../../kernels/conv2d_sq_norms';
import type { Conv2D } from '../../model/layers/conv2d';
import { conv2dGram, convGramMode } from './conv2dGram';
import type { PerSampleRule } from './rule';

/** How the per-sample weight-gradient norm of a Conv2D layer is computed. */
export type ConvNormMode = 'ghost' | 'instantiate';

/**
 * fastDP's per-layer choice (Bu et al., "Differentially private optimization on large model at
 * small cost", 2023): the ghost form costs O(T²) per sample, instantiating U_iᵀG_i costs
 * O(kkC_in·C_out); use ghost when 2T² < kkC_in·C_out.
 */
export function convNormMode(layer: Conv2D): ConvNormMode {
  const [ho, wo] = layer.outputShape;
  const t = ho * wo;
  const p = layer.kernelSize * layer.kernelSize * layer.inputShape[2];
  return 2 * t * t < p * layer.filters ? 'ghost' : 'instantiate';
}

/**
 * Identity filter [k, k, C, kkC] mapping input (i, j, c) to output channel (i·k + j)·C + c, so
 * conv2d(A, eye) yields the unfolded patches in the same order as the filter's [k, k, C] axes.
 */
function patchFilter(k: number, c: number): tf.Tensor4D {
  const p = k * k * c;
  return tf.reshape(tf.eye(p), [k, k, c, p]);
}

/**
 * Unfolded input patches U [B, T, kkC_in] of a Conv2D layer, T = H_out·W_out, built by convolving
 * with an identity filter so padding and stride follow TF.js exactly. Every output is one input
 * value (the rest of the sum is exact zeros), so the unfolding is exact in float32.
 */
export function unfoldPatches(layer: Conv2D, a: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => {
    const k = layer.kernelSize;
    const c = layer.inputShape[2];
    const u = tf.conv2d(a as tf.Tensor4D, patchFilter(k, c), layer.stride, layer.padding);
    const [b, ho, wo, p] = u.shape;
    return tf.reshape(u, [b, ho * wo, p]);
  });
}

/** Per-sample ‖U_iᵀG_i‖² by the chosen mode; U [B, T, P], G [B, T, C_out]. */
export function convWeightSqNorms(u: tf.Tensor3D, g: tf.Tensor3D, mode: ConvNormMode): tf.Tensor1D {
  return tf.tidy(() => {
    if (mode === 'instantiate') {
      const perSample = tf.matMul(u, g, true, false); // [B, P, C_out]
      return tf.sum(tf.square(perSample), [1, 2]) as tf.Tensor1D;
    }
    const uu = tf.matMul(u, u, false, true); // [B, T, T]
    const gg = tf.matMul(g, g, false, true); // [B, T, T]
    return tf.sum(tf.mul(uu, gg), [1, 2]) as tf.Tensor1D;
  });
}

/** Conv2D squared norms with an explicit mode (tests exercise both on the same shapes). */
export function conv2dSqNorms(layer: Conv2D, a: tf.Tensor, g: tf.Tensor, mode: ConvNormMode): tf.Tensor1D[] {
  return tf.tidy(() => {
    const [b, ho, wo, cOut] = g.shape;
    const g3 = tf.reshape(g, [b, ho * wo, cOut]) as tf.Tensor3D;
    const weight = convWeightSqNorms(unfoldPatches(layer, a), g3, mode);
    const bias = tf.sum(tf.square(tf.sum(g3, 1)), 1) as tf.Tensor1D;
    return [weight, bias];
  });
}

/**
 * Conv2D z = conv(A, W) + b. Per-sample weight gradient U_iᵀG_i (U_i the unfolded patches, T × kkC_in;
 * G_i the output gradients, T × C_out); bias gradient Σ_t G_i,t. The clipped sum is the ordinary filter
 * gradient (the backend's Conv2DBackpropFilter kernel) of G scaled row-wise by c.
 */
export const conv2dRule: PerSampleRule<Conv2D> = {
  sqNorms(layer, a, g) {
    return conv2dSqNorms(layer, a, g, convNormMode(layer));
  },
  sqNormsKernel: (layer, a, g) => conv2dSqNormsKernel(a as tf.Tensor4D, g as tf.Tensor4D, layer.kernelSize, layer.stride, layer.padding),
  // [B, kkCin·Cout + Cout]: the filter then the bias, the order of layer.params.
  perSampleGradsKernel: (layer, a, g) =>
    conv2dPerSampleGrads(a as tf.Tensor4D, g as tf.Tensor4D, layer.kernelSize, layer.stride, layer.padding),
  clippedSum(layer, a, g, c) {
    return tf.tidy(() => {
      const gc = tf.mul(g, tf.reshape(c, [-1, 1, 1, 1])) as tf.Tensor4D;
      const k = layer.kernelSize;
      const filterShape: [number, number, number, number] = [k, k, layer.inputShape[2], layer.filters];
      const attrs = {
        strides: [layer.stride, layer.stride] as [number, number],
        pad: layer.padding,
        dataFormat: 'NHWC' as const,
        filterShape,
      };
      const dW = tf
        .engine()
        .runKernel(tf.Conv2DBackpropFilter, { x: a as tf.Tensor4D, dy: gc }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
      return [dW, tf.sum(gc, [0, 1, 2])];
    });
  },
  gram: (layer, a, g) => tf.tidy(() => conv2dGram(unfoldPatches(layer, a), g, convGramMode(layer, g.shape[0]))),
};
