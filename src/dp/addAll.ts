import * as tf from '@tensorflow/tfjs';

/**
 * Most inputs one tf.addN call takes here. TF.js's WebGPU AddN binds every input as a storage
 * buffer in one shader and does not split; SwiftShader allows 8 storage buffers per stage (output
 * included), so addN of 8 tensors fails pipeline validation and the whole batched command buffer
 * (every kernel queued with it) is dropped.
 */
const MAX_ADDN_INPUTS = 4;

/** Σ of same-shape tensors, in addN calls of at most MAX_ADDN_INPUTS inputs. */
export function addAll(ts: readonly tf.Tensor[]): tf.Tensor {
  if (ts.length === 0) throw new Error('addAll: no tensors to add');
  return tf.tidy(() => {
    let level: tf.Tensor[] = [...ts];
    while (level.length > 1) {
      const next: tf.Tensor[] = [];
      for (let i = 0; i < level.length; i += MAX_ADDN_INPUTS) {
        const chunk = level.slice(i, i + MAX_ADDN_INPUTS);
        next.push(chunk.length === 1 ? chunk[0] : tf.addN(chunk));
      }
      level = next;
    }
    return level[0].clone();
  });
}
