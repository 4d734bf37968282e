import type * as tf from '@tensorflow/tfjs';
import { DpConv2DPerSampleGrads } from '../kernel_names';
import { runConv2DSampleProgram } from './conv2d_sq_norms_webgpu';

/** DpConv2DPerSampleGrads: the norm kernel's per-sample accumulation, storing each 4×4 block instead of squaring it. */
export const conv2dPerSampleGradsWebGpuConfig: tf.KernelConfig = {
  kernelName: DpConv2DPerSampleGrads,
  backendName: 'webgpu',
  kernelFunc: (args) => runConv2DSampleProgram('grads', args),
};
