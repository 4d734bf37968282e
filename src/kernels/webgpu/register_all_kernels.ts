import type * as tf from '@tensorflow/tfjs';
import { registerKernels } from '../register_all_kernels';
import { clipFactorsWebGpuConfig } from './clip_factors_webgpu';
import { conv2dPerSampleGradsWebGpuConfig } from './conv2d_per_sample_grads_webgpu';
import { conv2dSqNormsWebGpuConfig } from './conv2d_sq_norms_webgpu';
import { denseSqNormsWebGpuConfig } from './dense_sq_norms_webgpu';
import { noisyUpdateWebGpuConfig } from './noisy_update_webgpu';

/**
 * The WebGPU kernels, alphabetised by kernel name. Only browser code imports this module (the
 * worker and the harness page, or src/dp by dynamic import once the backend is 'webgpu').
 */
const WEBGPU_KERNELS: tf.KernelConfig[] = [
  clipFactorsWebGpuConfig,
  conv2dPerSampleGradsWebGpuConfig,
  conv2dSqNormsWebGpuConfig,
  denseSqNormsWebGpuConfig,
  noisyUpdateWebGpuConfig,
];

/** Registers our kernels for the 'webgpu' backend (idempotent). */
export function registerWebGpuKernels(): void {
  registerKernels(WEBGPU_KERNELS);
}
