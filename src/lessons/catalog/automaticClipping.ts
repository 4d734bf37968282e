import { accuracyNumbers, accuraciesOf, listAccuracies, points } from '../accuracy';
import { spiralsSgdRun } from '../presets';
import type { Lesson } from '../types';

/**
 * R = 100 (lr 0.01) is the badly tuned end: gradients (norm about 2) are far below it, so nothing is
 * normalised and the step is tiny. Without it the worst R was R = 10, within its own seed spread of
 * AUTO-S (docs/LESSONS.md), and a student's single run often showed no gap at all.
 */
const R_VALUES = [0.1, 1, 10, 100] as const;
/** AUTO-S's learning rate; each Abadi R gets lr_AUTO / R (the paper's equivalence for small R). */
const LR_AUTO = 1;
const AUTO = 'AUTO-S (no R)';
const abadi = (R: number) => `Abadi R = ${R}, lr = ${LR_AUTO / R}`;
/** "Matches the best R": within this many points, or within the seed spread (docs/LESSONS.md). */
const MATCH_POINTS = 1;
/** "Above the worst" by at least this many points. */
const ABOVE_WORST_POINTS = 5;
/** The lesson panel's picture refreshes this often (a refresh costs a few steps at batch 256; the runs take about 290 steps). */
const PLANE_EVERY = 50;

/** AUTO-S without R against Abadi at several R, each with its matched learning rate (Bu et al. §4, §6). */
export const automaticClipping: Lesson = {
  name: 'automatic-clipping',
  title: 'Automatic clipping: no R to tune',
  summary:
    'AUTO-S replaces clipping at R by normalisation, g/(‖g‖ + γ): there is no R to choose. Against Abadi clipping at R = 0.1, 1, 10 and 100, each with the learning rate lr_AUTO / R that the paper shows to be equivalent for small R, AUTO-S matches the best R without tuning it.',
  paper: 'Bu et al. 2023, §4 (AUTO-S, g/(‖g‖ + γ), and why it needs no R) and §6 (experiments: AUTO-S matches or beats the best tuned R)',
  claim: `AUTO-S, with no R, matches the best Abadi R (within ${MATCH_POINTS} point or the seed spread, or above it) and beats the worst R by at least ${ABOVE_WORST_POINTS} points.`,
  runs: [
    { label: AUTO, config: spiralsSgdRun(LR_AUTO, { clipping: 'auto-s' }) },
    ...R_VALUES.map((R) => ({ label: abadi(R), config: spiralsSgdRun(LR_AUTO / R, { clipping: 'abadi', maxGradNorm: R }) })),
  ],
  steps: [
    'Press "Train lesson runs". Five private DP-SGD runs on the spirals start at the same ε = 3: AUTO-S, and Abadi clipping at R = 0.1, 1, 10 and 100 with learning rates 10, 1, 0.1 and 0.01 (lr = lr_AUTO / R).',
    'Look at the picture under "This batch’s gradients", AUTO-S first (its first batch, then every 50 steps): the raw arrows have all sorts of lengths, about 1 to 3 at the start. Press "Clip them": every arrow ends near the dashed unit circle, because AUTO-S divides each gradient by its own length (plus γ). Every sample counts about equally, and no R was chosen. (An arrow may end inside the circle: the plane shows only part of each gradient, as the line under the picture says.)',
    'Pick "Abadi R = 0.1" above the picture, clipped: every gradient is longer than 0.1, so every arrow lands on the circle of radius R. It is the AUTO-S picture at a tenth of the size (read the scale under it), and the learning rate 10 restores the factor. Pick "Abadi R = 10": no arrow reaches the circle, nothing is clipped, and in the right-hand square the noise disc σ·R is about as large as the sum itself (under AUTO-S it is a fraction of it).',
    'Look at the Accuracy chart: AUTO-S and the small-R Abadi runs climb together; R = 10 often lags and R = 100 crawls, because most gradients (norm about 2) are not clipped and the matched learning rate is small for them: with Abadi clipping, R has to be tuned.',
    'Read the outcome below: AUTO-S against the best and the worst R, with the seed-to-seed spread.',
  ],
  plane: { runs: [AUTO, ...R_VALUES.map(abadi)], every: PLANE_EVERY },
  outcome(records) {
    const auto = accuraciesOf(records, [AUTO])[0][1];
    const abadiAcc = accuraciesOf(records, R_VALUES.map(abadi));
    const best = abadiAcc.reduce((a, b) => (b[1].mean > a[1].mean ? b : a));
    const worst = abadiAcc.reduce((a, b) => (b[1].mean < a[1].mean ? b : a));
    const gapToBest = points(auto.mean, best[1].mean);
    const aboveWorst = points(auto.mean, worst[1].mean);
    const spreadPoints = 100 * Math.max(auto.sd, best[1].sd);
    const matches = Math.abs(gapToBest) <= Math.max(MATCH_POINTS, spreadPoints) || gapToBest > 0;
    const holds = matches && aboveWorst >= ABOVE_WORST_POINTS;
    return {
      claim: automaticClipping.claim,
      holds,
      numbers: { ...accuracyNumbers([[AUTO, auto], ...abadiAcc]), gapToBestPoints: gapToBest, aboveWorstPoints: aboveWorst },
      detail: `${listAccuracies([[AUTO, auto], ...abadiAcc])}. AUTO-S is ${gapToBest >= 0 ? `${gapToBest.toFixed(1)} points above` : `${(-gapToBest).toFixed(1)} points below`} the best (${best[0]}) and ${aboveWorst.toFixed(1)} points above the worst (${worst[0]}).`,
    };
  },
};
