import { Adam } from './adam';
import { AdamW } from './adamw';
import { Lamb } from './lamb';
import { Sgd } from './sgd';
import type { Optimizer, OptimizerName, OptimizerSpec } from './types';

export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['adam', 'adamw', 'lamb', 'sgd'];

/** Builds an optimizer from its spec; throws on an unknown name. */
export function createOptimizer(spec: OptimizerSpec): Optimizer {
  switch (spec.name) {
    case 'adam':
      return new Adam(spec);
    case 'adamw':
      return new AdamW(spec);
    case 'lamb':
      return new Lamb(spec);
    case 'sgd':
      return new Sgd(spec);
    default: {
      const unknown: never = spec;
      throw new Error(
        `createOptimizer: unknown optimizer "${(unknown as { name?: unknown }).name}" (known: ${OPTIMIZER_NAMES.join(', ')})`,
      );
    }
  }
}
