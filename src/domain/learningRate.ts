/**
 * A learning-rate change made while a run trains: steps `fromStep`, `fromStep` + 1, … (steps count
 * from 1) use `lr`, until the next change. A run's changes are kept in step order; together with the
 * config's learning rate they are its learning-rate schedule, which a resumed run replays.
 */
export interface LrChange {
  fromStep: number;
  lr: number;
}

/** The learning rate step `step` uses: the config's, or the last change made from or before it. */
export function learningRateAt(start: number, changes: readonly LrChange[], step: number): number {
  let lr = start;
  for (const c of changes) if (c.fromStep <= step) lr = c.lr;
  return lr;
}

/** The learning rate the run ends with if nothing else changes (the last change, else the config's). */
export function latestLearningRate(start: number, changes: readonly LrChange[] | undefined): number {
  return changes?.length ? changes[changes.length - 1].lr : start;
}

/**
 * The changes after setting `lr` from step `fromStep` on. A new change replaces the later ones: a run
 * rewound to an older checkpoint and changed again follows what the user set last.
 */
export function withLrChange(changes: readonly LrChange[], fromStep: number, lr: number): LrChange[] {
  return [...changes.filter((c) => c.fromStep < fromStep), { fromStep, lr }];
}
