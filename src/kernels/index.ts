export * from './kernel_names';
export { clipFactorsKernel, clipFactorF32 } from './clip_factors';
export { conv2dPerSampleGrads } from './conv2d_per_sample_grads';
export { conv2dSqNorms } from './conv2d_sq_norms';
export { denseSqNorms } from './dense_sq_norms';
export { noisyUpdate, needsGradient } from './noisy_update';
export { registerCpuKernels, registerKernels } from './register_all_kernels';
