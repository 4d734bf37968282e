import { epochsForSteps, lessonBase, trainSizeOf, withChanges } from '../presets';
import { runsOf } from '../records';
import { summariseSeeds } from '../seedStats';
import type { Lesson } from '../types';

const LABEL = 'Blobs, Abadi R = 1, 3 steps';
/** "An outlier": the largest per-sample norm is at least this many times the batch's median. */
const OUTLIER_RATIO = 10;
const R = 1;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Per-sample norms vary by orders of magnitude; clipping bounds each sample's say (Bu et al. §2). */
export const whyClip: Lesson = {
  name: 'why-clip',
  title: 'Why clip?',
  summary:
    'Differential privacy needs a bound on how much any one person can change a training step. Per-sample gradients are not bounded: after a few steps most points are fitted and have tiny gradients, while one poorly fitted point can be a hundred times larger and alone steer the sum. Clipping each gradient to norm R bounds every sample’s contribution, so noise of size σR can hide it.',
  paper: 'Bu et al. 2023, §2 (DP optimizers: per-sample clipping bounds the sensitivity of the gradient sum to R; the noise is σR)',
  claim: `In one batch the largest per-sample gradient is at least ${OUTLIER_RATIO}× the median (in every seed): without clipping one sample can dominate the step; clipping caps every sample at R = ${R}.`,
  runs: [
    {
      label: LABEL,
      config: withChanges(lessonBase('blobs'), {
        train: { epochs: epochsForSteps(3, trainSizeOf(lessonBase('blobs')), lessonBase('blobs').train.batchSize), evalEvery: 1 },
        privacy: { clipping: 'abadi', maxGradNorm: R },
      }),
    },
  ],
  steps: [
    'Press "Train lesson runs". One private run trains three steps on the two blobs; each step draws a batch of about 256 points, and after a couple of steps most of them are classified correctly.',
    'Look at the picture under "This batch’s gradients": each arrow is one point’s gradient at the last step, drawn in the plane that shows the most of them. Most arrows are too short to see: those points are already fitted. A few long arrows, points still on the wrong side, reach past the dashed circle of radius R = 1.',
    'The right-hand square shows their sum Σ gᵢ, the direction the step moves the model. Without clipping it is almost exactly the few long arrows added up: a single point can steer the step, and since its arrow has no bound, no amount of noise is guaranteed to hide it.',
    'Tick "keep the raw scale" and press "Clip them": every arrow longer than R shrinks onto the circle, the short ones do not move, and the sum shrinks with them. Now each point moves the sum by at most R, and the noise added to the sum (the shaded disc, one standard deviation σ·R; its size is in the caption) is about one clipped arrow long: enough to hide any one point, small against the whole sum.',
    'The charts say the same in numbers: in Per-sample gradient norms most norms sit near 0 and a few far to the right of the dashed line R; in Clip factors the outliers get factors far below 1 while the fitted points keep 1.',
  ],
  plane: { runs: [LABEL], every: 1 },
  outcome(records) {
    const perSeed = runsOf(records, LABEL).map((r) => {
      if (!r.lastStepNorms?.length) throw new Error(`lesson outcome: run "${LABEL}" (seed ${r.seed}) has no per-sample norms`);
      const norms = r.lastStepNorms;
      const max = Math.max(...norms);
      const med = median(norms);
      const total = norms.reduce((s, x) => s + x, 0);
      return {
        max,
        med,
        ratio: max / Math.max(med, 1e-12),
        share: max / total,
        clippedShare: Math.min(max, R) / norms.reduce((s, x) => s + Math.min(x, R), 0),
      };
    });
    const ratio = summariseSeeds(perSeed.map((p) => p.ratio));
    const smallestRatio = Math.min(...perSeed.map((p) => p.ratio));
    const largest = summariseSeeds(perSeed.map((p) => p.max));
    const med = summariseSeeds(perSeed.map((p) => p.med));
    const share = summariseSeeds(perSeed.map((p) => p.share));
    const holds = smallestRatio >= OUTLIER_RATIO;
    return {
      claim: whyClip.claim,
      holds,
      numbers: {
        medianNorm: med.mean,
        largestNorm: largest.mean,
        ratioMean: ratio.mean,
        ratioSmallest: smallestRatio,
        largestShareOfNormSum: share.mean,
        R,
      },
      detail:
        `Median per-sample norm ${med.mean.toPrecision(2)}, largest ${largest.mean.toPrecision(3)} (mean over ${perSeed.length} ${perSeed.length === 1 ? 'seed' : 'seeds'}): ` +
        (ratio.n > 1
          ? `largest / median ${ratio.mean.toFixed(0)} ± ${ratio.sd.toFixed(0)}× over the seeds [${smallestRatio.toFixed(0)}, ${ratio.max.toFixed(0)}], so ${smallestRatio.toFixed(0)}× the median at the least; `
          : `${smallestRatio.toFixed(0)}× the median; `) +
        `that one sample is ${(100 * share.mean).toFixed(1)} % of the sum of all norms in its batch. Clipped, it counts for at most R = ${R}.`,
    };
  },
};
