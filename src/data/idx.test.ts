import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeIdx, parseIdx, readIdxHeader, type IdxArray, type IdxType } from './idx';
import { gunzip, gzip } from './gzip';
import { importDatasetFiles } from './import';
import { DatasetError } from './errors';
import { createRng } from '../random/rng';

/** A Fashion-MNIST-shaped pair: n images of h×w and labels 0–9. */
function fixture(n: number, h = 28, w = 28, seed = 1): { images: IdxArray; labels: IdxArray } {
  const r = createRng(seed);
  const px = Uint8Array.from({ length: n * h * w }, () => r.int(256));
  const lb = Uint8Array.from({ length: n }, () => r.int(10));
  return { images: { type: 'uint8', dims: [n, h, w], data: px }, labels: { type: 'uint8', dims: [n], data: lb } };
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DatasetError) return e.code;
    throw e; // anything else is a crash
  }
  return 'ok';
}

async function codeOfAsync(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (e) {
    if (e instanceof DatasetError) return e.code;
    throw e;
  }
  return 'ok';
}

describe('IDX round trip', () => {
  const samples: Record<IdxType, number[]> = {
    uint8: [0, 1, 128, 255],
    int8: [-128, -1, 0, 127],
    int16: [-32768, -2, 3, 32767],
    int32: [-2147483648, -5, 7, 2147483647],
    float32: [Math.fround(-1.5), Math.fround(0.1), 0, Math.fround(3.4e38)],
    float64: [-1e-300, 0.1, Math.PI, 1e300],
  };
  for (const [type, values] of Object.entries(samples) as [IdxType, number[]][]) {
    it(`${type}: parse(encode(a)) == a, raw and gzip`, async () => {
      const ctor = {
        uint8: Uint8Array,
        int8: Int8Array,
        int16: Int16Array,
        int32: Int32Array,
        float32: Float32Array,
        float64: Float64Array,
      }[type];
      const a: IdxArray = { type, dims: [2, 2], data: ctor.from(values) };
      const bytes = encodeIdx(a);
      expect(parseIdx(bytes, 'f')).toEqual(a);
      expect(parseIdx(await gunzip(await gzip(bytes), 'f.gz'), 'f')).toEqual(a);
    });
  }
  it('writes the MNIST magic numbers and big-endian sizes', () => {
    const { images, labels } = fixture(3);
    const b = encodeIdx(images);
    expect(Array.from(b.subarray(0, 8))).toEqual([0, 0, 8, 3, 0, 0, 0, 3]);
    expect(Array.from(encodeIdx(labels).subarray(0, 4))).toEqual([0, 0, 8, 1]);
    expect(b.length).toBe(16 + 3 * 784);
  });
});

describe('IDX import (Fashion-MNIST-shaped pair)', () => {
  it('imports train + t10k pairs, raw and .gz, exactly', async () => {
    const tr = fixture(12, 28, 28, 1);
    const te = fixture(5, 28, 28, 2);
    const files = [
      { name: 'train-images-idx3-ubyte.gz', bytes: await gzip(encodeIdx(tr.images)) },
      { name: 'train-labels-idx1-ubyte', bytes: encodeIdx(tr.labels) },
      { name: 't10k-images-idx3-ubyte', bytes: encodeIdx(te.images) },
      { name: 't10k-labels-idx1-ubyte.gz', bytes: await gzip(encodeIdx(te.labels)) },
    ];
    const r = await importDatasetFiles(files);
    expect(r.format).toBe('idx');
    expect(r.splitBySeed).toBe(false);
    for (const [d, src] of [
      [r.split.train, tr],
      [r.split.test, te],
    ] as const) {
      expect(d.inputShape).toEqual([28, 28, 1]);
      expect(d.numClasses).toBe(10);
      expect(Array.from(d.y)).toEqual(Array.from(src.labels.data));
      expect(Array.from(d.x, (v) => Math.round(v * 255))).toEqual(Array.from(src.images.data));
    }
  });
  it('splits with the seed when there is no test pair', async () => {
    const tr = fixture(50);
    const files = [
      { name: 'fashion-train-images-idx3-ubyte', bytes: encodeIdx(tr.images) },
      { name: 'fashion-train-labels-idx1-ubyte', bytes: encodeIdx(tr.labels) },
    ];
    const a = await importDatasetFiles(files, { testFraction: 0.2, seed: 3 });
    expect(a.splitBySeed).toBe(true);
    expect(a.split.train.name).toBe('Fashion-MNIST (imported)');
    expect([a.split.train.y.length, a.split.test.y.length]).toEqual([40, 10]);
    expect((await importDatasetFiles(files, { testFraction: 0.2, seed: 3 })).split).toEqual(a.split);
  });
  it('transposes EMNIST images', async () => {
    const images: IdxArray = { type: 'uint8', dims: [1, 2, 3], data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
    const labels: IdxArray = { type: 'uint8', dims: [1], data: Uint8Array.from([1]) };
    const r = await importDatasetFiles([
      { name: 'emnist-letters-train-images-idx3-ubyte', bytes: encodeIdx(images) },
      { name: 'emnist-letters-train-labels-idx1-ubyte', bytes: encodeIdx(labels) },
      { name: 'emnist-letters-test-images-idx3-ubyte', bytes: encodeIdx(images) },
      { name: 'emnist-letters-test-labels-idx1-ubyte', bytes: encodeIdx(labels) },
    ]);
    expect(r.split.train.inputShape).toEqual([3, 2, 1]);
    expect(Array.from(r.split.train.x, (v) => Math.round(v * 255))).toEqual([1, 4, 2, 5, 3, 6]);
  });
  it('gives the specific error for each broken pairing', async () => {
    const tr = fixture(4);
    const short = fixture(3);
    const img = { name: 'train-images-idx3-ubyte', bytes: encodeIdx(tr.images) };
    const lab = { name: 'train-labels-idx1-ubyte', bytes: encodeIdx(tr.labels) };
    const code = (files: { name: string; bytes: Uint8Array }[], o = {}) => codeOfAsync(() => importDatasetFiles(files, o));
    expect(await code([img])).toBe('unpaired-file');
    expect(await code([img, { ...lab, bytes: encodeIdx(short.labels) }])).toBe('count-mismatch');
    const bad = fixture(4);
    (bad.labels.data as Uint8Array)[2] = 10;
    expect(await code([img, { ...lab, bytes: encodeIdx(bad.labels) }])).toBe('label-out-of-range');
    const other = fixture(4, 14, 14);
    expect(
      await code([
        img,
        lab,
        { name: 't10k-images-idx3-ubyte', bytes: encodeIdx(other.images) },
        { name: 't10k-labels-idx1-ubyte', bytes: encodeIdx(other.labels) },
      ]),
    ).toBe('mixed-shapes');
    expect(await code([img, lab], { budgetBytes: 4 * 784 * 3 })).toBe('too-large');
    expect(await code([img, { ...lab, bytes: new Uint8Array(0) }])).toBe('empty-file');
    expect(await code([img, lab, { name: 'x.csv', bytes: new TextEncoder().encode('a,b\n1,2\n') }])).toBe('mixed-formats');
    expect(await code([img, lab, { name: 'dir/train-images-idx3-ubyte', bytes: img.bytes }])).toBe('duplicate-file');
    expect(await code([{ name: 'mystery', bytes: Uint8Array.from([1, 2, 3, 4]) }])).toBe('unknown-format');
    expect(await code([{ ...img, bytes: img.bytes.map((b, i) => (i === 0 ? 0x42 : b)) }, lab])).toBe('bad-magic');
    expect(await code([{ name: 'train-images-idx3-ubyte.gz', bytes: img.bytes }, lab])).toBe('bad-magic');
  });
  it('error messages name the file and the problem', async () => {
    const tr = fixture(4);
    const err = await importDatasetFiles([
      { name: 'train-images-idx3-ubyte', bytes: encodeIdx(tr.images).subarray(0, 100) },
      { name: 'train-labels-idx1-ubyte', bytes: encodeIdx(tr.labels) },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).message).toMatch(/^train-images-idx3-ubyte: .*cut short/);
    expect((err as DatasetError).file).toBe('train-images-idx3-ubyte');
  });
});

describe('IDX corruption (property)', () => {
  const { images } = fixture(3, 5, 4);
  const good = encodeIdx(images);

  it('every proper prefix is reported as truncated (or empty)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), (len) => {
        expect(codeOf(() => parseIdx(good.slice(0, len), 'f'))).toBe(len === 0 ? 'empty-file' : 'truncated');
      }),
      { numRuns: 300 },
    );
  });

  it('a flipped header byte gives the error the header implies', () => {
    const headerLen = 4 + 4 * 3;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: headerLen - 1 }), fc.integer({ min: 1, max: 255 }), (pos, mask) => {
        const b = good.slice();
        b[pos] ^= mask;
        const got = codeOf(() => parseIdx(b, 'f', 1 << 20));
        // Independent oracle from the corrupted header.
        const sizes: Record<number, number> = { 8: 1, 9: 1, 11: 2, 12: 4, 13: 4, 14: 8 };
        let want: string;
        if (b[0] !== 0 || b[1] !== 0 || sizes[b[2]] === undefined) want = 'bad-magic';
        else if (b[3] < 1 || b[3] > 4) want = 'bad-header';
        else if (b.length < 4 + 4 * b[3]) want = 'truncated';
        else {
          const dims = Array.from({ length: b[3] }, (_, i) => new DataView(b.buffer).getUint32(4 + 4 * i, false));
          const count = dims.reduce((x, y) => x * y, 1);
          const need = 4 + 4 * b[3] + count * sizes[b[2]];
          if (dims.includes(0)) want = 'bad-header';
          else if (count * 4 > 1 << 20) want = 'too-large';
          else if (b.length < need) want = 'truncated';
          else if (b.length > need) want = 'trailing-bytes';
          else want = 'ok';
        }
        expect(got).toBe(want);
      }),
      { numRuns: 400 },
    );
  });

  it('truncated or header-flipped .gz gives a DatasetError, never a crash or hang', async () => {
    const gz = await gzip(good);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: gz.length - 1 }), async (len) => {
        const code = await codeOfAsync(() => gunzip(gz.slice(0, len), 'f.gz'));
        expect(code).toBe(len === 0 ? 'empty-file' : 'truncated');
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 255 }), async (pos, mask) => {
        const b = gz.slice();
        b[pos] ^= mask;
        let out: Uint8Array | undefined;
        const code = await codeOfAsync(async () => {
          out = await gunzip(b, 'f.gz');
        });
        // 0–1 are the magic; 4–9 (mtime, extra flags, OS) do not affect the content; 2–3 are the
        // method and flags: most values are invalid, harmless ones (FTEXT) must give the same bytes.
        if (pos <= 1) expect(code).toBe('bad-magic');
        else if (pos >= 4) expect(code).toBe('ok');
        else expect(['bad-gzip', 'truncated', 'ok']).toContain(code);
        if (code === 'ok') expect(out).toEqual(good);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a huge declared size before allocating', () => {
    const b = encodeIdx({ type: 'uint8', dims: [1], data: Uint8Array.from([0]) });
    new DataView(b.buffer).setUint32(4, 0xffffffff, false);
    expect(codeOf(() => readIdxHeader(b, 'f'))).toBe('too-large');
  });
});
