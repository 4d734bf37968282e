/**
 * What one training step in a browser can afford, and what a model preset costs. A run config that
 * exceeds it is refused wherever it enters (controls, URL, run.json, CLI, engine) with the same
 * messages, instead of running for minutes with gigabytes. Pure arithmetic: no TF.js, so the UI and
 * the schema can use it. Measurements behind the numbers: docs/PERFORMANCE.md, "Limits".
 *
 * - Parameters: weights, their gradients and the optimizer state (Adam keeps two more copies) live
 *   on the device for the whole run; 4 million parameters take about 80 MB in all.
 * - Multiply-adds per step (batch × forward multiply-adds per example): the work of a step (the
 *   backward pass and the DP step add about 2–3× the forward pass) and, measured, its peak memory
 *   (≤ 0.9 byte per multiply-add on the presets, so ≤ about 450 MB at the limit).
 * - Batch size: per-sample norms, clip factors and the batch's indices go to the page every step.
 */

export const MAX_PARAMETERS = 4_000_000;
export const MAX_STEP_MULTIPLY_ADDS = 500_000_000;
export const MAX_BATCH_SIZE = 4096;

/** The parts of a run config the cost depends on (structurally the config's model spec). */
export type CostedModel = { preset: 'logistic' } | { preset: 'mlp'; hidden: readonly number[] } | { preset: 'cnn' };

export interface ModelCost {
  parameters: number;
  /** Multiply-adds of the forward pass for one example (Dense and Conv2D layers). */
  multiplyAdds: number;
}

/** Output size of a convolution or pooling window along one axis (as src/model/layers/layer.ts). */
function windowOut(size: number, k: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - k) / stride) + 1;
}

/**
 * Parameters and forward multiply-adds per example of a preset on inputs of `inputShape` with
 * `numClasses` outputs, layer by layer as src/model/build.ts builds it; null when the preset does
 * not apply to that shape (the CNN needs [H, W, C] images large enough for its windows).
 */
export function modelCost(model: CostedModel, inputShape: readonly number[], numClasses: number): ModelCost | null {
  let parameters = 0;
  let multiplyAdds = 0;
  const dense = (inputs: number, units: number) => {
    parameters += inputs * units + units;
    multiplyAdds += inputs * units;
    return units;
  };
  const inputs = inputShape.reduce((a, b) => a * b, 1);
  switch (model.preset) {
    case 'logistic':
      dense(inputs, numClasses);
      break;
    case 'mlp':
      dense(model.hidden.reduce(dense, inputs), numClasses);
      break;
    case 'cnn': {
      if (inputShape.length !== 3) return null;
      let [h, w, c] = inputShape;
      // conv k×k, `filters`, stride 2 → max-pool 2×2 stride 1 (valid), as the preset.
      const convPool = (k: number, filters: number, padding: 'same' | 'valid') => {
        const oh = windowOut(h, k, 2, padding);
        const ow = windowOut(w, k, 2, padding);
        parameters += k * k * c * filters + filters;
        multiplyAdds += oh * ow * k * k * c * filters;
        [h, w, c] = [oh - 1, ow - 1, filters];
      };
      convPool(8, 16, 'same');
      convPool(4, 32, 'valid');
      if (!(h >= 1 && w >= 1)) return null;
      dense(dense(h * w * c, 32), numClasses);
      break;
    }
  }
  return { parameters, multiplyAdds };
}

/** A limit a config exceeds: the field to name and why. */
export interface BudgetIssue {
  path: (string | number)[];
  message: string;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * What in (model, batch size) exceeds a browser step on data of this shape; empty when it fits.
 * Messages start with the field they name, like the schema's.
 */
export function stepBudgetIssues(model: CostedModel, batchSize: number, inputShape: readonly number[], numClasses: number): BudgetIssue[] {
  const cost = modelCost(model, inputShape, numClasses);
  if (!cost) return [];
  const issues: BudgetIssue[] = [];
  const data = `${inputShape.join('×')} inputs and ${numClasses} classes`;
  if (cost.parameters > MAX_PARAMETERS) {
    const field = model.preset === 'mlp' ? 'model.hidden' : 'model.preset';
    issues.push({
      path: field.split('.'),
      message: `${field}: this model has ${count(cost.parameters)} parameters for ${data}, over the ${count(MAX_PARAMETERS)} a browser run can hold (weights, gradients and optimizer state); use fewer or narrower layers`,
    });
  } else if (batchSize * cost.multiplyAdds > MAX_STEP_MULTIPLY_ADDS) {
    const fits = Math.max(1, Math.floor(MAX_STEP_MULTIPLY_ADDS / cost.multiplyAdds));
    issues.push({
      path: ['train', 'batchSize'],
      message: `train.batchSize: ${count(batchSize)} examples × ${count(cost.multiplyAdds)} multiply-adds each (this model, ${data}) is ${count(batchSize * cost.multiplyAdds)} per step, over the ${count(MAX_STEP_MULTIPLY_ADDS)} a browser step can afford; use a batch size ≤ ${count(fits)} or a smaller model`,
    });
  }
  return issues;
}
