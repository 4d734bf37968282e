import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './build';
import { Conv2D } from './layers/conv2d';
import { AvgPool2D, MaxPool2D } from './layers/pooling';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildModel', () => {
  it('builds the docs/ARCHITECTURE.md CNN with the expected shapes on 28×28×1', () => {
    const m = buildModel({ preset: 'cnn', activation: 'tanh' }, [28, 28, 1], 10, 1);
    expect(m.layers.map((l) => l.outputShape.join('x'))).toEqual([
      '14x14x16',
      '14x14x16',
      '13x13x16',
      '5x5x32',
      '5x5x32',
      '4x4x32',
      '512',
      '32',
      '32',
      '10',
    ]);
    expect(m.params.map((p) => p.shape.join('x'))).toEqual(['8x8x1x16', '16', '4x4x16x32', '32', '512x32', '32', '32x10', '10']);
    const logits = m.apply(tf.zeros([3, 28, 28, 1]));
    expect(logits.shape).toEqual([3, 10]);
    logits.dispose();
    m.dispose();
  });

  it('builds logistic regression and an MLP with configurable widths', () => {
    const lr = buildModel({ preset: 'logistic' }, [5], 3, 0);
    expect(lr.params.map((p) => p.shape)).toEqual([[5, 3], [3]]);
    const mlp = buildModel({ preset: 'mlp', hidden: [7, 4], activation: 'relu' }, [2, 3], 2, 0);
    expect(mlp.params.map((p) => p.shape)).toEqual([[6, 7], [7], [7, 4], [4], [4, 2], [2]]);
    expect(mlp.layers.map((l) => l.kind)).toEqual(['flatten', 'dense', 'activation', 'dense', 'activation', 'dense']);
    lr.dispose();
    mlp.dispose();
  });

  it('is reproducible per seed and differs across seeds; Glorot range holds', () => {
    const spec = { preset: 'mlp' as const, hidden: [16], activation: 'tanh' as const };
    const a = buildModel(spec, [8], 3, 42);
    const b = buildModel(spec, [8], 3, 42);
    const c = buildModel(spec, [8], 3, 43);
    const wa = a.params[0].arraySync() as number[][];
    expect(b.params[0].arraySync()).toEqual(wa);
    expect(c.params[0].arraySync()).not.toEqual(wa);
    // Two kernels of one model come from different streams.
    expect((a.params[2].arraySync() as number[][])[0].slice(0, 3)).not.toEqual(wa[0].slice(0, 3));
    const limit = Math.sqrt(6 / (8 + 16));
    const flat = wa.flat();
    expect(Math.max(...flat.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...flat.map(Math.abs))).toBeGreaterThan(limit * 0.7);
    expect(a.params[1].arraySync()).toEqual(new Array(16).fill(0));
    for (const m of [a, b, c]) m.dispose();
  });

  it('computes conv and pooling output sizes exactly as TF.js does (stride 2, same/valid, odd sizes)', () => {
    for (const [h, w, k, s, pad] of [
      [7, 9, 3, 2, 'same'],
      [7, 9, 3, 2, 'valid'],
      [5, 6, 2, 1, 'same'],
      [8, 5, 4, 2, 'valid'],
    ] as const) {
      const conv = new Conv2D('c', [h, w, 2], 3, k, s, pad, 1);
      const mp = new MaxPool2D('m', [h, w, 2], k, s, pad);
      const ap = new AvgPool2D('a', [h, w, 2], k, s, pad);
      const x = tf.randomNormal([2, h, w, 2], 0, 1, 'float32', 3);
      for (const layer of [conv, mp, ap]) {
        const y = layer.apply(x);
        expect(y.shape.slice(1)).toEqual(layer.outputShape);
        y.dispose();
      }
      conv.dispose();
      x.dispose();
    }
  });

  it('refuses shapes that do not fit', () => {
    expect(() => buildModel({ preset: 'cnn', activation: 'relu' }, [10], 10, 0)).toThrow(/image inputs/);
    expect(() => new Conv2D('c', [3, 3, 1], 2, 4, 1, 'valid', 0)).toThrow(/does not fit/);
  });
});
