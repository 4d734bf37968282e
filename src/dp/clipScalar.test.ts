import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipFactors, resolveClipConfig } from './clip';
import { clipFactorOf, effectiveScales } from './clipScalar';
import type { ClippingFn } from './types';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const FNS: ClippingFn[] = ['none', 'abadi', 'auto-v', 'auto-s', 'global'];

describe('clipFactorOf', () => {
  it('equals the tensor clipFactors on every function, including 0 and huge norms', async () => {
    const norms = [0, 1e-12, 0.05, 0.5, 1, 1.5, 10, 1e6];
    for (const fn of FNS) {
      const cfg = resolveClipConfig({ clipping: fn, clipNorm: 1, gamma: 0.01 });
      const t = clipFactors(tf.tensor1d(norms), cfg, 1);
      const want = Array.from(await t.data());
      t.dispose();
      // float32 tensor vs float64 scalar: compare relatively.
      norms.forEach((n, i) =>
        expect(Math.abs(clipFactorOf(n, cfg, 1) - want[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want[i]))),
      );
    }
  });

  it('effective scale of layer-wise clipping is ‖clipped g‖/‖g‖ computed by hand', () => {
    const cfg = resolveClipConfig({ clipping: 'abadi', clipNorm: 1, style: 'layer-wise' });
    // Two layers with norms 3 and 4 (total 5); each is clipped to 1/√2.
    const s = effectiveScales(new Float32Array([5]), [new Float32Array([3]), new Float32Array([4])], cfg);
    expect(s[0]).toBeCloseTo(Math.sqrt(0.5 + 0.5) / 5, 6);
    const flat = effectiveScales(
      new Float32Array([5]),
      [new Float32Array([3]), new Float32Array([4])],
      resolveClipConfig({ clipping: 'abadi', clipNorm: 1 }),
    );
    expect(flat[0]).toBeCloseTo(0.2, 6);
  });
});
