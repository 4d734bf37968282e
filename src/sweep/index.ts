/**
 * The R × learning-rate sweep, shared by the `autoclip sweep` CLI and the playground:
 * the config schema lives in src/config/sweepConfig.ts; here are the plan (σ calibrated once, the
 * grid as run configs), a bounded-concurrency runner and the views of the results.
 */
export { planSweepPrivacy, expandSweep, cellKey, sweepClippings } from './plan';
export type { SweepCell, SweepPrivacy } from './plan';
export { runPool } from './pool';
export {
  summarizeSweep,
  sweepCellResult,
  sweepMatrices,
  formatSweepTable,
  sweepCsv,
  csvField,
  clippingLabel,
  pct,
  num,
  SWEEP_CSV_COLUMNS,
} from './results';
export type { SweepCellResult, SweepMatrix, SweepSummary, BestCell } from './results';
