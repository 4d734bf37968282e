import { describe, expect, it } from 'vitest';
import { DivergenceWatch, EXPLOSION_FACTOR } from './divergence';

describe('DivergenceWatch', () => {
  it('stops on a non-finite loss with a hint that fits the run', () => {
    expect(new DivergenceWatch(true).check(3, NaN)?.reason).toMatch(/step 3.*NaN.*AUTO-S/);
    expect(new DivergenceWatch(false).check(1, Infinity)?.reason).toMatch(/Infinity.*Lower the learning rate\.$/);
  });

  it('stops when the loss explodes far above its starting level, not on ordinary noise', () => {
    const w = new DivergenceWatch(false);
    expect(w.check(1, 2)).toBeNull();
    for (let s = 2; s <= 10; s++) expect(w.check(s, 2 + 0.5 * Math.sin(s))).toBeNull();
    expect(w.check(11, 2 * (EXPLOSION_FACTOR - 1))).toBeNull();
    expect(w.check(12, 2 * (EXPLOSION_FACTOR + 5))?.reason).toMatch(/over 50× its starting level/);
  });
});
