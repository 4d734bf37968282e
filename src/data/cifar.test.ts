import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CIFAR_RECORD, encodeCifar10, parseCifar10 } from './cifar';
import { importDatasetFiles } from './import';
import { DatasetError } from './errors';
import { createRng } from '../random/rng';

function batch(n: number, seed: number): { pixels: Uint8Array; labels: Int32Array } {
  const r = createRng(seed);
  return {
    pixels: Uint8Array.from({ length: n * 3072 }, () => r.int(256)),
    labels: Int32Array.from({ length: n }, () => r.int(10)),
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

describe('CIFAR-10 binary', () => {
  it('round-trips exactly', () => {
    const b = batch(7, 1);
    const bytes = encodeCifar10(b);
    expect(bytes.length).toBe(7 * CIFAR_RECORD);
    const p = parseCifar10(bytes, 'data_batch_1.bin');
    expect(p.count).toBe(7);
    expect(p.labels).toEqual(b.labels);
    expect(p.pixels).toEqual(b.pixels);
  });
  it("converts the file's CHW planes to HWC", () => {
    // Hand-built record: red plane all 10, green all 20, blue = pixel index mod 256.
    const rec = new Uint8Array(CIFAR_RECORD);
    rec[0] = 3;
    rec.fill(10, 1, 1025);
    rec.fill(20, 1025, 2049);
    for (let p = 0; p < 1024; p++) rec[2049 + p] = p % 256;
    const { pixels, labels } = parseCifar10(rec, 'r.bin');
    expect(labels[0]).toBe(3);
    for (const p of [0, 1, 31, 32, 500, 1023]) {
      expect([pixels[3 * p], pixels[3 * p + 1], pixels[3 * p + 2]]).toEqual([10, 20, p % 256]);
    }
  });
  it('imports training batches and the test batch as a split', async () => {
    const b1 = batch(3, 1),
      b2 = batch(2, 2),
      t = batch(4, 3);
    const r = await importDatasetFiles([
      { name: 'cifar-10-batches-bin/test_batch.bin', bytes: encodeCifar10(t) },
      { name: 'cifar-10-batches-bin/data_batch_2.bin', bytes: encodeCifar10(b2) },
      { name: 'cifar-10-batches-bin/data_batch_1.bin', bytes: encodeCifar10(b1) },
      { name: 'cifar-10-batches-bin/batches.meta.txt', bytes: new TextEncoder().encode('airplane\n') },
    ]);
    expect(r.format).toBe('cifar10');
    expect(r.ignored).toEqual(['cifar-10-batches-bin/batches.meta.txt']);
    expect(r.classNames?.[0]).toBe('airplane');
    expect(r.split.train.inputShape).toEqual([32, 32, 3]);
    expect(Array.from(r.split.train.y)).toEqual([...b1.labels, ...b2.labels]); // batch order, not argument order
    expect(Array.from(r.split.train.x.subarray(0, 3072), (v) => Math.round(v * 255))).toEqual(Array.from(b1.pixels.subarray(0, 3072)));
    expect(Array.from(r.split.test.y)).toEqual(Array.from(t.labels));
  });
  it('truncation: not a whole record → truncated; a whole-record prefix parses as the first records', () => {
    const b = batch(3, 4);
    const bytes = encodeCifar10(b);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (len) => {
        const code = codeOf(() => parseCifar10(bytes.slice(0, len), 'f.bin'));
        if (len === 0) expect(code).toBe('empty-file');
        else if (len % CIFAR_RECORD !== 0) expect(code).toBe('truncated');
        else {
          const p = parseCifar10(bytes.slice(0, len), 'f.bin');
          expect(p.labels).toEqual(b.labels.subarray(0, len / CIFAR_RECORD));
        }
      }),
      { numRuns: 200 },
    );
  });
  it('a flipped label byte is out of range exactly when it leaves 0–9', () => {
    const b = batch(3, 5);
    const bytes = encodeCifar10(b);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 255 }), (rec, mask) => {
        const c = bytes.slice();
        c[rec * CIFAR_RECORD] ^= mask;
        expect(codeOf(() => parseCifar10(c, 'f.bin'))).toBe(c[rec * CIFAR_RECORD] > 9 ? 'label-out-of-range' : 'ok');
      }),
      { numRuns: 200 },
    );
  });
  it('refuses more records than the memory budget', () => {
    const bytes = encodeCifar10(batch(2, 6));
    expect(codeOf(() => parseCifar10(bytes, 'f.bin', 3072 * 4))).toBe('too-large');
  });
});
