import { accuracyNumbers, accuraciesOf, listAccuracies, points } from '../accuracy';
import { spiralsSgdRun, withChanges } from '../presets';
import type { Lesson } from '../types';

/** Cells on the diagonal R·lr = 1, and one off it on each side. */
const DIAGONAL = [
  [0.01, 100],
  [0.02, 50],
  [0.04, 25],
] as const;
const OFF = [
  [0.01, 25],
  [0.04, 100],
] as const;
/**
 * The grid the lesson loads into the Sweep panel, whose anti-diagonals are the lines of constant R·lr:
 * 10 epochs (117 steps) rather than the runs' 25, so that its nine cells train in about a minute;
 * with fewer steps every cell needs a larger R·lr to learn, hence R from 0.02 (docs/LESSONS.md).
 */
const SWEEP_EPOCHS = 10;
const GRID = { R: [0.02, 0.04, 0.08], lr: [25, 50, 100] };
const label = ([R, lr]: readonly [number, number]) => `R = ${R}, lr = ${lr} (R·lr = ${+(R * lr).toPrecision(3)})`;
/**
 * "Constant along R·lr": the spread along the line is at most this fraction of the change that moving
 * R·lr by 4× causes, and moving off the line changes accuracy by at least OFF_POINTS.
 */
const DIAGONAL_FRACTION = 0.5;
const OFF_POINTS = 5;

/** With small R, Abadi clipping is normalisation times R, so only R·lr matters (Bu et al. §3). */
export const rLrCoupled: Lesson = {
  name: 'r-lr-coupled',
  title: 'R and the learning rate are coupled',
  summary:
    'When R is below every per-sample gradient norm, Abadi clipping gives R·g/‖g‖ and the noise is σR: the whole private gradient is R times that of normalisation. With SGD the step is lr·R·(…), so only the product R·lr matters. Runs along R·lr = 1 agree; a run off that line does not.',
  paper: 'Bu et al. 2023, §3 (Abadi clipping with small R equals normalisation with the learning rate scaled by R: R and lr are coupled)',
  claim: `Only R·lr matters: moving R·lr by 4× changes accuracy by at least ${OFF_POINTS} points, while along R·lr = 1 accuracy varies by at most half as much as that change.`,
  runs: [...DIAGONAL, ...OFF].map((cell) => ({
    label: label(cell),
    config: spiralsSgdRun(cell[1], { clipping: 'abadi', maxGradNorm: cell[0] }),
  })),
  sweep: {
    base: withChanges(spiralsSgdRun(50, { clipping: 'abadi', maxGradNorm: 0.04 }), { train: { epochs: SWEEP_EPOCHS } }),
    ...GRID,
  },
  steps: [
    'Press "Train lesson runs". Five private DP-SGD runs on the spirals start, all with Abadi clipping at small R (0.01 to 0.04, below every per-sample norm) and ε = 3.',
    'Three runs lie on the line R·lr = 1 (R = 0.01 with lr = 100, R = 0.02 with lr = 50, R = 0.04 with lr = 25). In the Accuracy chart their curves coincide.',
    'Two runs are off the line: R·lr = 0.25 learns slower, R·lr = 4 overshoots.',
    'Now the whole grid: press "Load the 3 × 3 grid into the Sweep panel", then "Run sweep" there (nine cells, each on seeds 1 to 3: 27 runs, one to three minutes). To be quick, the sweep trains 10 epochs instead of 25, so every cell needs a larger R·lr to learn, and R starts at 0.02. In the heatmap the rows are R and the columns lr: the three cells from bottom left (R = 0.08, lr = 25) to top right (R = 0.02, lr = 100) all have R·lr = 2 (each cell is the mean over the 3 seeds, ± their sd; when we measured, these three were 84, 78 and 87 %). Each parallel diagonal is one R·lr too: 1 above it (both cells about 60 %), 4 below it (both about 88 %), 0.5 and 8 in the corners. The colour changes across the diagonals by 20 to 30 points, much less along them; R·lr = 2 sits where accuracy climbs fastest, so its cells differ most.',
    'The equivalence is exact only while R is below every per-sample norm: as training fits points their norms fall under R = 0.04 and those points are no longer clipped, so the largest R on the line drifts a little from the others.',
    'Conclusion: under DP-SGD you do not tune R and lr separately, only their product. Automatic clipping takes R out altogether.',
  ],
  outcome(records) {
    const diag = accuraciesOf(records, DIAGONAL.map(label));
    const off = accuraciesOf(records, OFF.map(label));
    const diagMeans = diag.map(([, s]) => s.mean);
    const diagSpread = points(Math.max(...diagMeans), Math.min(...diagMeans));
    const seedSpread = 100 * Math.max(...diag.map(([, s]) => s.sd));
    const diagMean = diagMeans.reduce((a, b) => a + b, 0) / diagMeans.length;
    const offGaps = off.map(([, s]) => Math.abs(points(s.mean, diagMean)));
    const smallestGap = Math.min(...offGaps);
    const holds = smallestGap >= OFF_POINTS && diagSpread <= DIAGONAL_FRACTION * smallestGap;
    return {
      claim: rLrCoupled.claim,
      holds,
      numbers: {
        ...accuracyNumbers([...diag, ...off]),
        diagonalSpreadPoints: diagSpread,
        seedSpreadPoints: seedSpread,
        offDiagonalGapLowPoints: offGaps[0],
        offDiagonalGapHighPoints: offGaps[1],
      },
      detail: `${listAccuracies([...diag, ...off])}. On the diagonal: spread ${diagSpread.toFixed(1)} points (seed spread ± ${seedSpread.toFixed(1)}); off it: ${offGaps.map((g) => g.toFixed(1)).join(' and ')} points from the diagonal's mean.`,
    };
  },
};
