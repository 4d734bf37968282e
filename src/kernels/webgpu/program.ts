import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type * as tf from '@tensorflow/tfjs';

/** The members of WebGPUProgram every program here sets the same way (TF.js fills the rest). */
export type Program = Pick<
  WebGPUProgram,
  'dispatch' | 'dispatchLayout' | 'outputShape' | 'shaderKey' | 'variableNames' | 'workgroupSize' | 'getUserCode'
> &
  Partial<Pick<WebGPUProgram, 'size' | 'uniforms'>>;

export type Uniform = { type: 'int32' | 'uint32' | 'float32'; data: number[] };

/** Runs one of our programs on the WebGPU backend. */
export function runProgram(backend: unknown, program: Program, inputs: tf.TensorInfo[], uniforms: Uniform[] = []): tf.TensorInfo {
  return (backend as WebGPUBackend).runWebGPUProgram(program as WebGPUProgram, inputs, 'float32', uniforms);
}

/**
 * Linear index of this workgroup. TF.js may fold a long 1-D dispatch into 2-D or 3-D
 * (reshapeDispatch), so programs that give each workgroup one row must not read workgroupId.x alone.
 */
export const WORKGROUP_INDEX = `i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x)`;
