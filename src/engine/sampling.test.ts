import { describe, expect, it } from 'vitest';
import { bucketSize, poissonSampler, shuffleSampler, type SamplingRandomness } from './sampling';

const seeded = (seed: number, resume?: number): SamplingRandomness => ({ kind: 'seeded', seed, resume });
const SECURE: SamplingRandomness = { kind: 'secure' };

describe('poisson sampler', () => {
  // Seeded: reproducible. Secure: CSPRNG draws, so the bounds are wide enough (≥ 5.5 sd) that a
  // correct sampler fails with probability below 1e-5 per run.
  it.each([
    ['seeded', seeded(7)],
    ['secure', SECURE],
  ] as const)('includes each example with probability q, independently (%s)', (_, randomness) => {
    const n = 500;
    const B = 50;
    const s = poissonSampler(n, B, randomness);
    const counts = new Float64Array(n);
    const sizes: number[] = [];
    const T = 2000;
    for (let t = 0; t < T; t++) {
      const b = s.next();
      sizes.push(b.realSize);
      for (let i = 0; i < b.realSize; i++) counts[b.indices[i]]++;
      // Real rows first, no duplicates, sorted, padding masked.
      const real = Array.from(b.indices.slice(0, b.realSize));
      expect(new Set(real).size).toBe(real.length);
      expect(b.mask.slice(0, b.realSize).every((m) => m === 1)).toBe(true);
      expect(b.mask.slice(b.realSize).every((m) => m === 0)).toBe(true);
    }
    const mean = sizes.reduce((a, b) => a + b, 0) / T;
    const variance = sizes.reduce((a, b) => a + (b - mean) ** 2, 0) / (T - 1);
    // Batch size ~ Binomial(n, q): mean nq = 50, variance nq(1-q) = 45.
    expect(Math.abs(mean - 50)).toBeLessThan(5.5 * Math.sqrt(45 / T));
    // The sample variance's relative sd is about √(2/T) ≈ 0.032: ±20 % is over 6 sd.
    expect(variance).toBeGreaterThan(45 * 0.8);
    expect(variance).toBeLessThan(45 * 1.2);
    // Every example's inclusion frequency is near q = 0.1 (binomial(2000, 0.1): sd ≈ 0.0067); the
    // extreme of 500 frequencies stays within 6 sd.
    const freq = Array.from(counts, (c) => c / T);
    expect(Math.min(...freq)).toBeGreaterThan(0.1 - 6 * 0.0067);
    expect(Math.max(...freq)).toBeLessThan(0.1 + 6 * 0.0067);
  });

  it('pads to a handful of bucket sizes', () => {
    const s = poissonSampler(10_000, 256, seeded(1));
    const shapes = new Set<number>();
    for (let t = 0; t < 300; t++) shapes.add(s.next().indices.length);
    expect(shapes.size).toBeLessThanOrEqual(8);
    expect(bucketSize(0, 256)).toBe(32);
    expect(bucketSize(257, 256)).toBe(288);
  });

  it('q = 1 takes the full dataset', () => {
    const b = poissonSampler(37, 37, SECURE).next();
    expect(b.realSize).toBe(37);
  });

  it('rejects an expected batch larger than the dataset', () => {
    expect(() => poissonSampler(10, 11, SECURE)).toThrow(/expected batch size/);
  });
});

describe('shuffle sampler', () => {
  it.each([
    ['seeded', seeded(2)],
    ['secure', SECURE],
  ] as const)('visits every example once per epoch in fixed-size batches (%s)', (_, randomness) => {
    const s = shuffleSampler(12, 4, randomness);
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen: number[] = [];
      for (let t = 0; t < 3; t++) seen.push(...s.next().indices);
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    }
    expect(s.coveredByAccountant).toBe(false);
  });

  it('seeded: resumes exactly from its state, for both samplers', () => {
    for (const make of [(r?: number) => shuffleSampler(50, 7, seeded(9, r)), (r?: number) => poissonSampler(50, 7, seeded(9, r))]) {
      const a = make();
      for (let i = 0; i < 13; i++) a.next();
      const b = make(a.state()!);
      for (let i = 0; i < 20; i++) expect(Array.from(b.next().indices)).toEqual(Array.from(a.next().indices));
    }
  });

  it('secure: has no state to save, and two samplers draw independently', () => {
    for (const make of [() => shuffleSampler(300, 30, SECURE), () => poissonSampler(300, 30, SECURE)]) {
      const [a, b] = [make(), make()];
      expect(a.randomness).toBe('secure');
      // Equal 30-of-300 batches by chance: probability below 1e-40.
      expect(Array.from(a.next().indices)).not.toEqual(Array.from(b.next().indices));
      expect(a.state()).toBeNull();
    }
  });
});
