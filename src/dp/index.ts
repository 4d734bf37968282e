export type { ClippingFn, ClippingStyle, DpStepStats, GradientOptions, GradientResult } from './types';
export { computeGradients, computeGradientTensors, readStats, disposeDiag, type GradientTensors } from './gradients';
export { clipFactors, resolveClipConfig, sensitivity, groupBound, isAutomatic, DEFAULT_AUTO_S_GAMMA, type ClipConfig } from './clip';
export { type NoiseSource, SeededNoiseSource, SecureNoiseSource, createNoiseSource } from './noise';
export { type PerSampleRule } from './rules/rule';
export { registerRule, ruleFor, parametricLayers } from './rules/registry';
export { captureTaps, type TapCapture } from './taps';
