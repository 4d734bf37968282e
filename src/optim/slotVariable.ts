import * as tf from '@tensorflow/tfjs';

/**
 * A non-trainable variable holding a restored optimizer slot. The tensor it is built from is freed
 * inside the tidy (only the variable survives), so loading a checkpoint does not leak one tensor per
 * slot — which, on WebGPU, is GPU memory held until the page closes.
 */
export function slotVariable(values: Float32Array | readonly number[], shape: readonly number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(values as Float32Array, [...shape], 'float32'), false));
}
