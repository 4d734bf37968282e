/**
 * The R × learning-rate sweep, shared by the `autoclip sweep` CLI and the playground:
 * the config schema lives in src/config/sweepConfig.ts; here are the plan (σ calibrated once, the
 * grid × seeds as run configs) and the views of the results. The runs are scheduled by runQueue.ts
 * (imported from its own file).
 */
export { planSweepPrivacy, expandSweep } from './plan';
export type { SweepPrivacy, SweepRun } from './plan';
export {
  summarizeSweep,
  sweepCellResult,
  sweepRunResult,
  sweepCellStats,
  sweepMatrices,
  formatSweepTable,
  sweepCsv,
  clippingLabel,
  describeSweepRun,
  testSetStandardError,
  pct,
} from './results';
export type { SweepCellResult, SweepCellStats, SweepMatrix, SweepSummary } from './results';
