import { ActivationLayer } from './layers/activation';
import { Conv2D } from './layers/conv2d';
import { Dense } from './layers/dense';
import { Flatten } from './layers/flatten';
import { paramSeed } from './layers/init';
import type { Layer } from './layers/layer';
import { AvgPool2D, MaxPool2D } from './layers/pooling';
import { SequentialModel } from './sequential';
import type { Activation, Model, ModelSpec } from './types';

/**
 * Appends layers while tracking the running shape and giving each layer a unique name and a
 * distinct deterministic seed.
 */
export class LayerStack {
  readonly layers: Layer[] = [];
  private shape: readonly number[];
  private paramIndex = 0;
  private counts = new Map<string, number>();

  constructor(
    inputShape: readonly number[],
    private readonly seed: number,
  ) {
    this.shape = [...inputShape];
  }

  get currentShape(): readonly number[] {
    return this.shape;
  }

  private name(kind: string): string {
    const n = this.counts.get(kind) ?? 0;
    this.counts.set(kind, n + 1);
    return `${kind}_${n}`;
  }

  private push(layer: Layer): this {
    this.layers.push(layer);
    this.shape = layer.outputShape;
    return this;
  }

  private nextSeed(): number {
    return paramSeed(this.seed, this.paramIndex++);
  }

  dense(units: number): this {
    return this.push(new Dense(this.name('dense'), this.shape, units, this.nextSeed()));
  }

  conv2d(filters: number, kernelSize: number, stride: number, padding: 'same' | 'valid'): this {
    return this.push(new Conv2D(this.name('conv2d'), this.shape, filters, kernelSize, stride, padding, this.nextSeed()));
  }

  activation(fn: Activation): this {
    return this.push(new ActivationLayer(this.name(fn), this.shape, fn));
  }

  maxPool(poolSize: number, stride: number, padding: 'same' | 'valid' = 'valid'): this {
    return this.push(new MaxPool2D(this.name('maxpool2d'), this.shape, poolSize, stride, padding));
  }

  avgPool(poolSize: number, stride: number, padding: 'same' | 'valid' = 'valid'): this {
    return this.push(new AvgPool2D(this.name('avgpool2d'), this.shape, poolSize, stride, padding));
  }

  flatten(): this {
    return this.shape.length === 1 ? this : this.push(new Flatten(this.name('flatten'), this.shape));
  }
}

/**
 * Builds a model preset with seeded Glorot-uniform weights and zero biases; the same
 * (spec, inputShape, numClasses, seed) always gives the same weights.
 *
 * - logistic: Flatten → Dense(numClasses) (multinomial logistic regression).
 * - mlp: Flatten → [Dense(h) → activation] for each h in `hidden` → Dense(numClasses).
 * - cnn: the 4-layer CNN used for DP MNIST (Papernot et al. 2021; Tramèr & Boneh 2021; the TF Privacy
 *   tutorial): conv 8×8, 16 filters, stride 2, 'same' → act → max-pool 2×2 stride 1 → conv 4×4,
 *   32 filters, stride 2, 'valid' → act → max-pool 2×2 stride 1 → Flatten → Dense 32 → act →
 *   Dense numClasses. On 28×28×1 the shapes are 14×14×16 → 13×13×16 → 5×5×32 → 4×4×32 → 512 → 32.
 */
export function buildModel(spec: ModelSpec, inputShape: readonly number[], numClasses: number, seed: number): Model {
  if (!(Number.isInteger(numClasses) && numClasses >= 2)) {
    throw new Error(`buildModel: numClasses must be an integer ≥ 2, got ${numClasses}`);
  }
  const s = new LayerStack(inputShape, seed);
  switch (spec.preset) {
    case 'logistic':
      s.flatten().dense(numClasses);
      break;
    case 'mlp':
      s.flatten();
      for (const h of spec.hidden) s.dense(h).activation(spec.activation);
      s.dense(numClasses);
      break;
    case 'cnn':
      if (inputShape.length !== 3) {
        throw new Error(`buildModel: the cnn preset needs image inputs [H, W, C], got [${inputShape.join(', ')}]`);
      }
      s.conv2d(16, 8, 2, 'same').activation(spec.activation).maxPool(2, 1);
      s.conv2d(32, 4, 2, 'valid').activation(spec.activation).maxPool(2, 1);
      s.flatten().dense(32).activation(spec.activation).dense(numClasses);
      break;
    default: {
      const never: never = spec;
      throw new Error(`buildModel: unknown preset ${JSON.stringify(never)}`);
    }
  }
  return new SequentialModel(spec, inputShape, numClasses, s.layers);
}
