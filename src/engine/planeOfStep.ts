import type { GradientPlane } from '../domain/gradientPlane';
import type { DatasetSplit } from '../data/types';
import { gradientPlane } from '../dp/gradientPlane';
import type { GramReadout } from '../dp/gram';
import type { DpStepPlan } from '../dp/stepPlan';

/**
 * The gradient plane of one training step, for the view: the geometry from the step's own Grams and
 * clip factors, plus what the hover shows (labels, and for images 8-bit thumbnails of the real rows).
 * `indices` are the batch's training-set rows (padded rows included), `mask` 1 for a real row.
 */
export function planeOfStep(
  step: number,
  gram: GramReadout,
  mask: Float32Array,
  indices: Int32Array,
  plan: DpStepPlan,
  train: DatasetSplit['train'],
): GradientPlane {
  const geometry = gradientPlane({
    ...gram,
    mask,
    style: plan.clip.style,
    noiseStd: plan.noiseStd,
    expectedBatchSize: plan.expectedBatchSize,
  });
  const real = Int32Array.from(indices.filter((_, i) => mask[i] > 0));
  const fn = plan.clip.fn;
  return {
    ...geometry,
    step,
    clipping: fn.name,
    circleRadius: fn.name === 'none' ? null : plan.clip.sensitivity,
    labels: Int32Array.from(real, (i) => train.y[i]),
    thumbnails: thumbnails(train, real),
  };
}

/** Grey 8-bit images of the given rows (channel mean, each scaled to its own range); null for non-image data. */
function thumbnails(train: DatasetSplit['train'], rows: Int32Array): GradientPlane['thumbnails'] {
  const shape = train.inputShape;
  if (shape.length !== 3) return null;
  const [height, width, channels] = shape;
  const size = height * width * channels;
  const pixels = new Uint8Array(rows.length * height * width);
  const grey = new Float32Array(height * width);
  rows.forEach((row, r) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let p = 0; p < height * width; p++) {
      let s = 0;
      for (let c = 0; c < channels; c++) s += train.x[row * size + p * channels + c];
      grey[p] = s / channels;
      lo = Math.min(lo, grey[p]);
      hi = Math.max(hi, grey[p]);
    }
    const span = hi > lo ? hi - lo : 1;
    for (let p = 0; p < height * width; p++) pixels[r * height * width + p] = Math.round((255 * (grey[p] - lo)) / span);
  });
  return { width, height, pixels };
}
