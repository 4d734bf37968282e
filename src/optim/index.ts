export type { Optimizer, OptimizerName, OptimizerSpec, OptimizerState } from './types';
export { createOptimizer, OPTIMIZER_NAMES } from './registry';
export { Sgd } from './sgd';
export { Adam } from './adam';
export { AdamW } from './adamw';
export { Lamb } from './lamb';
