import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNoiseSource, type NoiseSource, SecureNoiseSource, SeededNoiseSource } from './noise';
import { mulhi32, philox4x32 } from '../random/philox';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Standard normal CDF via erfc (W. J. Cody-style rational approx., |error| < 1.2e-7). */
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

const N = 1_000_000;

function draws(source: NoiseSource, std: number): Float32Array {
  const t = source.normal([1000, N / 1000], std);
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

function checkGaussian(v: Float32Array, std: number): void {
  let sum = 0;
  for (const x of v) sum += x;
  const mean = sum / v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  const sd = Math.sqrt(ss / (v.length - 1));
  // "Within 0.5%": |mean| ≤ 0.005·σ (5 standard errors) and |sd − σ| ≤ 0.005·σ (7 standard errors).
  expect(Math.abs(mean)).toBeLessThan(0.005 * std);
  expect(Math.abs(sd - std) / std).toBeLessThan(0.005);
  // Kolmogorov–Smirnov against N(0, σ²): reject at α = 0.001 when D > 1.949/√n.
  const sorted = Float64Array.from(v, (x) => x / std).sort();
  let d = 0;
  for (let i = 0; i < sorted.length; i++) {
    const f = phi(sorted[i]);
    d = Math.max(d, Math.abs(f - i / sorted.length), Math.abs((i + 1) / sorted.length - f));
  }
  expect(d).toBeLessThan(1.949 / Math.sqrt(sorted.length));
  // Chi-square on 20 equiprobable bins (df = 19; 0.999 quantile = 43.82).
  const bins = new Array<number>(20).fill(0);
  for (const x of sorted) bins[Math.min(19, Math.floor(phi(x) * 20))]++;
  const expected = sorted.length / 20;
  const chi2 = bins.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
  expect(chi2).toBeLessThan(43.82);
}

describe('Philox4x32-10', () => {
  it('matches the Random123 known-answer vectors', () => {
    const out = new Uint32Array(4);
    philox4x32(0, 0, 0, 0, 0, 0, out);
    expect(Array.from(out)).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
    philox4x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, out);
    expect(Array.from(out)).toEqual([0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
    philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
    expect(Array.from(out)).toEqual([0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]);
  });

  it('mulhi32 is exact', () => {
    for (const [a, b] of [
      [0xffffffff, 0xffffffff],
      [0xd2511f53, 0x12345678],
      [1, 0xffffffff],
      [0x80000000, 2],
    ]) {
      expect(mulhi32(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
    }
  });
});

describe('noise sources', () => {
  it('seeded: 1e6 draws of N(0, σ²) pass mean/std (0.5%), Kolmogorov–Smirnov and chi-square', () => {
    checkGaussian(draws(new SeededNoiseSource(1), 2.5), 2.5);
  });

  it('secure (crypto): 1e6 draws pass the same tests', () => {
    checkGaussian(draws(new SecureNoiseSource(), 1), 1);
  });

  it('one seed twice gives the same stream; two seeds differ; the stream advances', () => {
    const a = new SeededNoiseSource(42);
    const b = new SeededNoiseSource(42);
    const c = new SeededNoiseSource(43);
    const big = new SeededNoiseSource(2 ** 40 + 42);
    const take = (s: NoiseSource) => {
      const v = new Float32Array(1001);
      s.fillStandardNormal(v);
      return v;
    };
    const a1 = take(a);
    expect(take(b)).toEqual(a1);
    expect(take(c)).not.toEqual(a1);
    expect(take(big)).not.toEqual(a1);
    expect(take(a)).not.toEqual(a1);
    expect(take(new SecureNoiseSource())).not.toEqual(take(new SecureNoiseSource()));
  });

  it("seeded: a step's draws depend on (seed, step) only, whatever was drawn before", () => {
    const take = (s: NoiseSource, n = 777) => {
      const v = new Float32Array(n);
      s.fillStandardNormal(v);
      return v;
    };
    const long = new SeededNoiseSource(7);
    const perStep = [0, 1, 2].map((k) => {
      long.startStep(k);
      return take(long, 500 + 100 * k); // steps of different sizes
    });
    long.startStep(3);
    const fresh = new SeededNoiseSource(7);
    fresh.startStep(3);
    expect(take(long)).toEqual(take(fresh));
    // Steps draw different noise, and step 0 is the stream a source starts with.
    expect(perStep[1].subarray(0, 500)).not.toEqual(perStep[0]);
    expect(take(new SeededNoiseSource(7), 500)).toEqual(perStep[0]);
    // The device-drawn (keyed) noise is numbered by the step too.
    fresh.startStep(9);
    expect(fresh.nextStepKey().step).toBe(9);
    expect(() => fresh.startStep(-1)).toThrow(/step/);
    expect(() => fresh.startStep(1.5)).toThrow(/step/);
  });

  it('createNoiseSource is secure by default, seeded on request', () => {
    expect(createNoiseSource().kind).toBe('secure');
    expect(createNoiseSource(3).kind).toBe('seeded');
    expect(() => new SeededNoiseSource(-1)).toThrow(/seed/);
    expect(() => new SeededNoiseSource(1).normal([2], Number.NaN)).toThrow(/std/);
  });
});
