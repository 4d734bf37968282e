import * as tf from '@tensorflow/tfjs';
import { KERNEL_NAMES } from '../kernels/kernel_names';
import { registerCpuKernels } from '../kernels/register_all_kernels';
import type { DpImplementation } from './stepPlan';

function kernelsRegistered(backend: string): boolean {
  return KERNEL_NAMES.every((name) => tf.getKernel(name, backend) !== undefined);
}

/**
 * Registers our kernels for the active backend: the CPU twins always (Node-safe), and the WebGPU
 * programs, loaded on demand, when the backend is 'webgpu' (so Node never loads WebGPU code).
 */
export async function ensureDpKernels(): Promise<void> {
  registerCpuKernels();
  if (tf.getBackend() === 'webgpu' && !kernelsRegistered('webgpu')) {
    const { registerWebGpuKernels } = await import('../kernels/webgpu/register_all_kernels');
    registerWebGpuKernels();
  }
}

/**
 * The path a DP step takes on the active backend. 'auto' picks the kernels on WebGPU (where they
 * save passes) and the ops elsewhere; 'kernels' forces them (on 'cpu' that runs the CPU twins) and
 * throws when they are not registered for the backend (call ensureDpKernels first).
 */
export function resolveDpPath(implementation: DpImplementation = 'auto', backend: string = tf.getBackend()): 'kernels' | 'ops' {
  switch (implementation) {
    case 'ops':
      return 'ops';
    case 'auto':
      return backend === 'webgpu' && kernelsRegistered(backend) ? 'kernels' : 'ops';
    case 'kernels':
      if (backend === 'cpu') registerCpuKernels();
      if (!kernelsRegistered(backend)) {
        throw new Error(
          `DP step: implementation "kernels" has no kernels registered for backend "${backend}" (only 'webgpu' and 'cpu' have them; await ensureDpKernels() first)`,
        );
      }
      return 'kernels';
    default:
      throw new Error(`DP step: unknown implementation "${String(implementation)}" (auto, kernels, ops)`);
  }
}

/**
 * The path computeGradients will take on `backend` once ensureDpKernels has run (it does so itself):
 * what the engine needs at construction time to decide whether to use a FusedOptimizer.
 */
export function plannedDpPath(implementation: DpImplementation = 'auto', backend: string = tf.getBackend()): 'kernels' | 'ops' {
  if (implementation === 'ops') return 'ops';
  if (implementation === 'kernels') return 'kernels';
  return backend === 'webgpu' ? 'kernels' : 'ops';
}
