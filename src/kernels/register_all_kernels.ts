import * as tf from '@tensorflow/tfjs';
import { clipFactorsCpuConfig } from './clip_factors';
import { conv2dPerSampleGradsCpuConfig } from './conv2d_per_sample_grads';
import { conv2dSqNormsCpuConfig } from './conv2d_sq_norms';
import { denseSqNormsCpuConfig } from './dense_sq_norms';
import { noisyUpdateCpuConfig } from './noisy_update';

/** The CPU twins, alphabetised by kernel name. Safe to import from Node (no WebGPU dependency). */
const CPU_KERNELS: tf.KernelConfig[] = [
  clipFactorsCpuConfig,
  conv2dPerSampleGradsCpuConfig,
  conv2dSqNormsCpuConfig,
  denseSqNormsCpuConfig,
  noisyUpdateCpuConfig,
];

/** Registers a list of kernel configs, skipping ones already registered (idempotent). */
export function registerKernels(configs: readonly tf.KernelConfig[]): void {
  for (const config of configs) {
    if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
  }
}

/** Registers the CPU twins of our kernels for the 'cpu' backend. */
export function registerCpuKernels(): void {
  registerKernels(CPU_KERNELS);
}
