import type * as tf from '@tensorflow/tfjs';

/** The part of TF.js's CPU backend (MathBackendCPU) the CPU twins use. */
interface CpuBackend {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** Float32 values of a CPU-backend tensor (the twin kernels read their inputs synchronously). */
export function cpuValues(backend: unknown, t: tf.TensorInfo): Float32Array {
  const v = (backend as CpuBackend).data.get(t.dataId).values;
  if (!(v instanceof Float32Array)) throw new Error(`CPU twin: expected float32 input, got ${t.dtype}`);
  return v;
}

export function cpuOutput(backend: unknown, shape: number[], values: Float32Array): tf.TensorInfo {
  return (backend as CpuBackend).makeTensorInfo(shape, 'float32', values);
}

/** Asserts with a message that names the op and the bad value (TF.js style). */
export function check(cond: boolean, msg: () => string): asserts cond {
  if (!cond) throw new Error(msg());
}
