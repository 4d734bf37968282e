import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeImageAsset, encodeImageAsset, fnv1a, imageAssetToSplit, type ImageAsset } from './asset';
import { DatasetError } from './errors';
import { createRng } from '../random/rng';

function asset(): ImageAsset {
  const r = createRng(2);
  const n = 6;
  return {
    name: 'tiny',
    source: 'test fixture ✓',
    nTrain: 4,
    nTest: 2,
    shape: [3, 2, 1],
    numClasses: 3,
    splitSeed: 77,
    sourceIndex: Uint32Array.from([5, 0, 3, 1, 4, 2]),
    labels: Uint8Array.from({ length: n }, () => r.int(3)),
    pixels: Uint8Array.from({ length: n * 6 }, () => r.int(256)),
  };
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DatasetError) return e.code;
    throw e;
  }
  return 'ok';
}

describe('ACDS asset', () => {
  it('round-trips and converts to a [0, 1] split', () => {
    const a = asset();
    const bytes = encodeImageAsset(a);
    expect(decodeImageAsset(bytes, 'a')).toEqual(a);
    expect(decodeImageAsset(bytes.buffer as ArrayBuffer, 'a')).toEqual(a);
    const s = imageAssetToSplit(a);
    expect(s.train.y.length).toBe(4);
    expect(s.test.inputShape).toEqual([3, 2, 1]);
    expect(s.test.x[0]).toBe(Math.fround(a.pixels[4 * 6] / 255));
  });
  it('fnv1a matches the published test vectors', () => {
    expect(fnv1a(new Uint8Array(0))).toBe(0x811c9dc5);
    expect(fnv1a(new TextEncoder().encode('a'))).toBe(0xe40c292c);
    expect(fnv1a(new TextEncoder().encode('foobar'))).toBe(0xbf9cf968);
  });
  it('every truncation and every single-byte corruption is a DatasetError with the right code', () => {
    const good = encodeImageAsset(asset());
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), (len) => {
        const c = codeOf(() => decodeImageAsset(good.slice(0, len), 'a'));
        expect(c).toBe(len === 0 ? 'empty-file' : 'truncated');
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, mask) => {
        const b = good.slice();
        b[pos] ^= mask;
        const c = codeOf(() => decodeImageAsset(b, 'a'));
        if (pos < 4) expect(c).toBe('bad-magic');
        else if (pos < 8)
          expect(c).toBe('bad-header'); // version
        else if (pos >= 40 && pos < 44)
          expect(c).toBe('corrupt'); // checksum
        else expect(['bad-header', 'truncated', 'trailing-bytes', 'too-large', 'corrupt']).toContain(c); // never 'ok'
      }),
      { numRuns: 500 },
    );
  });
});
