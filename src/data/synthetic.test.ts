import { describe, expect, it } from 'vitest';
import { decisionGrid, makeSynthetic, SYNTHETIC_NAMES } from './synthetic';
import { splitDataset } from './split';
import { createRng, permutation } from '../random/rng';
import { DatasetError } from './errors';

describe('createRng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(42),
      b = createRng(42),
      c = createRng(43);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
  });
  it('draws uniforms in [0,1) and normals with mean 0, sd 1', () => {
    const r = createRng(7);
    let s = 0,
      s2 = 0,
      lo = 1,
      hi = 0;
    const m = 50_000;
    for (let i = 0; i < m; i++) {
      const u = r.next();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(s / m)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(s2 / m) - 1)).toBeLessThan(0.02);
  });
  it('permutation is a permutation', () => {
    const p = permutation(1000, createRng(1));
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});

describe('makeSynthetic', () => {
  for (const name of SYNTHETIC_NAMES) {
    it(`${name}: shape, balance, range and determinism`, () => {
      const d = makeSynthetic({ name, n: 301, noise: 0, seed: 3 });
      expect(d.inputShape).toEqual([2]);
      expect(d.x.length).toBe(602);
      expect(d.y.length).toBe(301);
      expect(d.numClasses).toBe(2);
      const counts = [0, 0];
      for (const l of d.y) counts[l]++;
      expect(counts.sort()).toEqual([150, 151]);
      for (const v of d.x) expect(Math.abs(v)).toBeLessThanOrEqual(1);
      expect(makeSynthetic({ name, n: 301, noise: 0, seed: 3 })).toEqual(d);
      expect(makeSynthetic({ name, n: 301, noise: 0, seed: 4 }).x).not.toEqual(d.x);
    });
  }
  it('labels follow the geometry when noise is 0', () => {
    const circle = makeSynthetic({ name: 'circle', n: 500, noise: 0, seed: 1 });
    const xor = makeSynthetic({ name: 'xor', n: 500, noise: 0, seed: 1 });
    for (let i = 0; i < 500; i++) {
      const r = Math.hypot(circle.x[2 * i], circle.x[2 * i + 1]);
      expect(circle.y[i]).toBe(r < 0.6 ? 0 : 1);
      expect(xor.y[i]).toBe(xor.x[2 * i] * xor.x[2 * i + 1] > 0 ? 1 : 0);
    }
    // Spiral arms are point reflections of each other: nearest neighbour of each point is same-class.
    const s = makeSynthetic({ name: 'spirals', n: 400, noise: 0, seed: 2 });
    let agree = 0;
    for (let i = 0; i < 400; i++) {
      let best = -1,
        bd = Infinity;
      for (let j = 0; j < 400; j++) {
        if (j === i) continue;
        const dd = (s.x[2 * i] - s.x[2 * j]) ** 2 + (s.x[2 * i + 1] - s.x[2 * j + 1]) ** 2;
        if (dd < bd) {
          bd = dd;
          best = j;
        }
      }
      if (s.y[best] === s.y[i]) agree++;
    }
    expect(agree / 400).toBeGreaterThan(0.97);
  });
  it('noise moves points by about the stated standard deviation', () => {
    const clean = makeSynthetic({ name: 'spirals', n: 2000, noise: 0, seed: 5 });
    const noisy = makeSynthetic({ name: 'spirals', n: 2000, noise: 0.1, seed: 5 });
    // Clean spiral points depend only on their index, so E[v²] grows by exactly noise² per coordinate.
    const meanSq = (d: typeof clean) => d.x.reduce((a, v) => a + v * v, 0) / d.x.length;
    expect(meanSq(noisy) - meanSq(clean)).toBeCloseTo(0.01, 2);
  });
  it('blobs supports k classes', () => {
    const d = makeSynthetic({ name: 'blobs', n: 1000, noise: 0.05, seed: 9, classes: 5 });
    expect(d.numClasses).toBe(5);
    expect(new Set(d.y).size).toBe(5);
  });
  it('rejects bad options with a DatasetError', () => {
    expect(() => makeSynthetic({ name: 'xor', n: 0, noise: 0, seed: 1 })).toThrow(DatasetError);
    expect(() => makeSynthetic({ name: 'xor', n: 10, noise: -1, seed: 1 })).toThrow(/noise/);
    expect(() => makeSynthetic({ name: 'xor', n: 10, noise: 0, seed: 1, classes: 3 })).toThrow(/classes/);
    expect(() => makeSynthetic({ name: 'nope' as 'xor', n: 10, noise: 0, seed: 1 })).toThrow(/unknown/);
  });
});

describe('splitDataset', () => {
  it('is seeded, disjoint and complete', () => {
    const d = makeSynthetic({ name: 'blobs', n: 101, noise: 0.1, seed: 1 });
    const s = splitDataset(d, 0.2, 11);
    expect(s.test.y.length).toBe(20);
    expect(s.train.y.length).toBe(81);
    const key = (x: Float32Array, i: number) => `${x[2 * i]},${x[2 * i + 1]}`;
    const trainKeys = new Set(Array.from({ length: 81 }, (_, i) => key(s.train.x, i)));
    for (let i = 0; i < 20; i++) expect(trainKeys.has(key(s.test.x, i))).toBe(false);
    expect(splitDataset(d, 0.2, 11)).toEqual(s);
    expect(splitDataset(d, 0.2, 12).test.x).not.toEqual(s.test.x);
  });
  it('rejects fractions outside (0, 1)', () => {
    const d = makeSynthetic({ name: 'xor', n: 10, noise: 0, seed: 1 });
    expect(() => splitDataset(d, 0, 1)).toThrow(DatasetError);
    expect(() => splitDataset(d, 1, 1)).toThrow(DatasetError);
  });
});

describe('decisionGrid', () => {
  it('covers the square in image order with cell centres', () => {
    const g = decisionGrid(4, 2);
    expect(g.length).toBe(32);
    expect([g[0], g[1]]).toEqual([-1.5, 1.5]); // top-left
    expect([g[6], g[7]]).toEqual([1.5, 1.5]); // top-right
    expect([g[30], g[31]]).toEqual([1.5, -1.5]); // bottom-right
    expect(() => decisionGrid(0)).toThrow(RangeError);
  });
});
