import { accuracyNumbers, accuraciesOf, listAccuracies, points } from '../accuracy';
import { spiralsRun } from '../presets';
import type { Lesson } from '../types';

const R_VALUES = [0.01, 0.1] as const;
const AUTO = 'Adam + AUTO-S';
const abadi = (R: number) => `Adam + Abadi R = ${R}`;
/** "Coincide": every run within this many points of every other, or within the seed spread. */
const COINCIDE_POINTS = 1;

/** Under Adam a common rescaling of gradient and noise cancels (Bu et al. §3: adaptive optimizers). */
export const adamHidesR: Lesson = {
  name: 'adam-hides-r',
  title: 'Adam hides R',
  summary:
    'Adam divides each update by a running estimate of the gradient’s size, so multiplying the whole private gradient (clipped sum and noise σR alike) by a constant changes nothing. When R is below every per-sample norm, Abadi clipping is AUTO-S times R: under Adam, AUTO-S and Abadi at any small R train the same model. Tuning R under Adam is wasted effort; tune the learning rate.',
  paper: 'Bu et al. 2023, §3 (with adaptive optimizers such as Adam, Abadi clipping with small R does not depend on R)',
  claim: `Under Adam, AUTO-S and Abadi at R = 0.01 and 0.1 coincide: their accuracies differ by at most ${COINCIDE_POINTS} point or the seed-to-seed spread.`,
  runs: [
    { label: AUTO, config: spiralsRun() },
    ...R_VALUES.map((R) => ({ label: abadi(R), config: spiralsRun({ privacy: { clipping: 'abadi', maxGradNorm: R } }) })),
  ],
  steps: [
    'Press "Train lesson runs". Three private Adam runs on the spirals start with the same learning rate (0.1) and ε = 3: AUTO-S, and Abadi clipping at R = 0.01 and R = 0.1.',
    'Look at the Accuracy chart: the three curves lie on top of each other.',
    'Look at the Signal vs noise chart: the R = 0.01 run’s signal and noise are 10× smaller than R = 0.1’s, and their ratio is the same. Adam divides the scale away.',
    'Compare with the lesson "What R does under DP-SGD": with plain SGD the same change of R changes everything.',
  ],
  outcome(records) {
    const acc = accuraciesOf(records, [AUTO, ...R_VALUES.map(abadi)]);
    const means = acc.map(([, s]) => s.mean);
    const spread = points(Math.max(...means), Math.min(...means));
    const seedSpread = 100 * Math.max(...acc.map(([, s]) => s.sd));
    const holds = spread <= Math.max(COINCIDE_POINTS, seedSpread);
    return {
      claim: adamHidesR.claim,
      holds,
      numbers: { ...accuracyNumbers(acc), spreadPoints: spread, seedSpreadPoints: seedSpread },
      detail: `${listAccuracies(acc)}; largest difference ${spread.toFixed(1)} points (seed spread ± ${seedSpread.toFixed(1)}).`,
    };
  },
};
