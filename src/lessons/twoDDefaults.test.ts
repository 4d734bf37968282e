/**
 * Every 2D set's defaults (docs/LESSONS.md) learn under privacy. A private AUTO-S run at ε = 3 with the set's
 * defaults (src/config/runConfig.ts syntheticDefaults) reaches, on each of 3 seeds, at least the floor
 * below. The floors are the measured minimum over seeds 1–3 (docs/LESSONS.md, "2D defaults"), rounded
 * down by about three points for numerical differences between machines; the measured means are far
 * above a flat boundary (about 50–60 %, where the old defaults left the spirals).
 */
import { describe, expect, it } from 'vitest';
import { trainRecorded } from '../../cli/lessonRunner';
import { SYNTHETIC_SETS, type SyntheticName } from '../config/runConfig';
import { lessonBase, withChanges } from './presets';

const FLOORS: Record<SyntheticName, number> = { spirals: 0.9, circle: 0.96, xor: 0.94, blobs: 0.97 };
const SEEDS = [1, 2, 3];

describe('2D defaults learn under privacy (AUTO-S, ε = 3, 3 seeds)', () => {
  for (const name of SYNTHETIC_SETS) {
    it(`${name}: every seed reaches ${FLOORS[name] * 100} % test accuracy`, { timeout: 600_000 }, async () => {
      const base = lessonBase(name);
      expect(base.privacy).toMatchObject({ enabled: true, clipping: 'auto-s', noise: { mode: 'target', epsilon: 3 } });
      for (const seed of SEEDS) {
        // Evaluate only at the end: the floor is about the trained model, and evaluations cost time.
        const config = withChanges(base, { seed, train: { evalEvery: 10_000 } });
        const r = await trainRecorded(name, seed, config, '2D defaults');
        expect(r.epsilon).toBeLessThanOrEqual(3);
        expect(r.finalTestAccuracy, `${name} seed ${seed}`).toBeGreaterThanOrEqual(FLOORS[name]);
      }
    });
  }
});
