/**
 * The R × learning-rate sweep, shared by the `autoclip sweep` CLI and the playground:
 * the config schema lives in src/config/sweepConfig.ts; here are the plan (σ calibrated once, the
 * grid × seeds as run configs), a bounded-concurrency runner and the views of the results.
 */
export { planSweepPrivacy, expandSweep, cellKey, runKey, sweepCells, sweepClippings } from './plan';
export type { SweepCell, SweepPrivacy, SweepRun } from './plan';
export { runPool } from './pool';
export {
  summarizeSweep,
  sweepCellResult,
  sweepCellStats,
  sweepMatrices,
  formatSweepTable,
  sweepCsv,
  csvField,
  clippingLabel,
  describeSweepRun,
  testSetStandardError,
  pct,
  num,
  SWEEP_CSV_COLUMNS,
} from './results';
export type { SweepCellResult, SweepCellStats, SweepMatrix, SweepShape, SweepSummary, BestCell } from './results';
