import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIPPING_FUNCTIONS, CLIPPING_NAMES, clippingFunction, sensitivityOf, type ClippingNameOrNone } from './functions';
import { effectiveScales, groupBound, resolveClipPlan } from './plan';
import { tableFactor } from './testing/tableFactor';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ALL: ClippingNameOrNone[] = [...CLIPPING_NAMES, 'none'];
const NORMS = [0, 1e-12, 0.05, 0.5, 0.999, 1, 1.001, 1.5, 10, 1e6];

describe('clipping functions', () => {
  it('each factor equals the design table, for norms at, below and above the bound, and at 0', () => {
    for (const name of ALL) {
      const fn = clippingFunction(name);
      for (const b of [0.1, 1, 7]) for (const n of NORMS) expect(fn.factor(n, b, 0.01)).toBeCloseTo(tableFactor(name, n, b, 0.01), 12);
    }
  });

  it('the tensor version equals the scalar one on every function (float32 tolerance), without NaN at 0', async () => {
    for (const name of ALL) {
      const fn = clippingFunction(name);
      const t = fn.factorOps(tf, tf.tensor1d(NORMS), 1, 0.01);
      const got = Array.from(await t.data());
      t.dispose();
      NORMS.forEach((n, i) =>
        expect(Math.abs(got[i] - fn.factor(n, 1, 0.01))).toBeLessThanOrEqual(1e-6 * Math.max(1, fn.factor(n, 1, 0.01))),
      );
    }
  });

  it('clipped norms stay within the bound: ≤ b for Abadi and global, < b for AUTO-S, = b for AUTO-V (nonzero g)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1e9, noNaN: true }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (n, b) => {
        const clipped = (name: ClippingNameOrNone) => clippingFunction(name).factor(n, b, 0.01) * n;
        expect(clipped('abadi')).toBeLessThanOrEqual(b * (1 + 1e-12));
        expect(clipped('global')).toBeLessThanOrEqual(b);
        expect(clipped('auto-s')).toBeLessThan(b);
        expect(clipped('auto-v')).toBeCloseTo(b, 6);
      }),
      { seed: 20261130, numRuns: 300 },
    );
  });

  it('sensitivity is R exactly for the functions that use R and 1 for automatic clipping', () => {
    expect(CLIPPING_FUNCTIONS.filter((f) => f.usesR).map((f) => f.name)).toEqual(['abadi', 'global']);
    for (const fn of CLIPPING_FUNCTIONS) expect(sensitivityOf(fn, 0.3)).toBe(fn.usesR ? 0.3 : 1);
  });

  it('refuses an unknown name, naming the choices', () => {
    expect(() => clippingFunction('psac')).toThrow(
      /unknown clipping function "psac" \(expected one of auto-s, auto-v, abadi, global, none\)/,
    );
    expect(() => clippingFunction('toString')).toThrow(/unknown clipping function/);
  });
});

describe('clip plan', () => {
  it('resolves defaults once and checks R and γ', () => {
    const p = resolveClipPlan({ clipping: 'auto-s' });
    expect(p).toMatchObject({ maxGradNorm: 1, gamma: 0.01, style: 'flat', sensitivity: 1 });
    expect(resolveClipPlan({ clipping: 'abadi', maxGradNorm: 0.5 }).sensitivity).toBe(0.5);
    expect(() => resolveClipPlan({ clipping: 'abadi' })).toThrow(/needs the threshold R/);
    expect(() => resolveClipPlan({ clipping: 'global', maxGradNorm: Number.NaN })).toThrow(/R must be finite and > 0/);
    expect(() => resolveClipPlan({ clipping: 'auto-s', gamma: 0 })).toThrow(/γ must be finite and > 0/);
    expect(() => resolveClipPlan({ clipping: 'auto-s', style: 'per-layer' as never })).toThrow(/unknown style/);
  });

  it('layer-wise groups get S/√K so the whole clipped gradient still has norm ≤ S', () => {
    const p = resolveClipPlan({ clipping: 'abadi', maxGradNorm: 2, style: 'layer-wise' });
    expect(groupBound(p, 4)).toBe(1);
    expect(groupBound(resolveClipPlan({ clipping: 'abadi', maxGradNorm: 2 }), 4)).toBe(2);
  });

  it('effective scale of layer-wise clipping is ‖clipped g‖/‖g‖ computed by hand', () => {
    // Two layers with norms 3 and 4 (total 5); layer-wise Abadi at R = 1 clips each to 1/√2.
    const layers = [new Float32Array([3]), new Float32Array([4])];
    expect(
      effectiveScales(new Float32Array([5]), layers, resolveClipPlan({ clipping: 'abadi', maxGradNorm: 1, style: 'layer-wise' }))[0],
    ).toBeCloseTo(1 / 5, 6);
    expect(effectiveScales(new Float32Array([5]), layers, resolveClipPlan({ clipping: 'abadi', maxGradNorm: 1 }))[0]).toBeCloseTo(0.2, 6);
    expect(effectiveScales(new Float32Array([5]), layers, resolveClipPlan({ clipping: 'auto-v' }))[0]).toBeCloseTo(0.2, 6);
  });
});
