import * as tf from '@tensorflow/tfjs';
import { check, cpuOutput, cpuValues } from './cpu_util';
import { DpDenseSqNorms } from './kernel_names';

/**
 * Per-sample squared gradient norm of a Dense layer z = A W + b, weight and bias together:
 * ‖a_iᵀg_i‖² + ‖g_i‖² = (‖a_i‖² + 1)·‖g_i‖² (the outer-product "ghost norm", Goodfellow 2015).
 * @param a input A [B, Din]; @param g tap G = ∂L/∂z [B, Dout] (per-example-sum loss) → [B].
 */
export function denseSqNorms(a: tf.Tensor2D, g: tf.Tensor2D): tf.Tensor1D {
  check(a.rank === 2 && g.rank === 2, () => `denseSqNorms: a and g must be rank 2, got [${a.shape}] and [${g.shape}]`);
  check(a.shape[0] === g.shape[0], () => `denseSqNorms: batch mismatch, a has ${a.shape[0]} rows and g ${g.shape[0]}`);
  check(a.dtype === 'float32' && g.dtype === 'float32', () => `denseSqNorms: float32 inputs only, got ${a.dtype}, ${g.dtype}`);
  return tf.engine().runKernel(DpDenseSqNorms, { a, g } as unknown as tf.NamedTensorMap) as tf.Tensor1D;
}

/** CPU twin: the reference the WebGPU kernel is tested against (float64 accumulation). */
export const denseSqNormsCpuConfig: tf.KernelConfig = {
  kernelName: DpDenseSqNorms,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend }) => {
    const { a, g } = inputs as { a: tf.TensorInfo; g: tf.TensorInfo };
    const av = cpuValues(backend, a);
    const gv = cpuValues(backend, g);
    const [b, din] = a.shape;
    const dout = g.shape[1];
    const out = new Float32Array(b);
    for (let i = 0; i < b; i++) {
      let as = 0;
      for (let j = 0; j < din; j++) as += av[i * din + j] ** 2;
      let gs = 0;
      for (let j = 0; j < dout; j++) gs += gv[i * dout + j] ** 2;
      out[i] = (as + 1) * gs;
    }
    return cpuOutput(backend, [b], out);
  },
};
