import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { importDatasetFiles } from './import';
import { encodeIdx } from './idx';
import { encodeCifar10 } from './cifar';
import { gzip } from './gzip';
import { DatasetError } from './errors';
import { datasetInfo, splitInfo, validateDataset } from './info';
import { makeSynthetic } from './synthetic';

describe('importDatasetFiles', () => {
  it('detects IDX by magic number when names say nothing', async () => {
    const img = encodeIdx({ type: 'uint8', dims: [4, 2, 2], data: new Uint8Array(16).fill(9) });
    const lab = encodeIdx({ type: 'uint8', dims: [4], data: Uint8Array.from([0, 1, 2, 1]) });
    const r = await importDatasetFiles(
      [
        { name: 'a', bytes: img },
        { name: 'b.gz', bytes: await gzip(lab) },
      ],
      { seed: 5, testFraction: 0.25 },
    );
    expect(r.format).toBe('idx');
    expect(r.split.train.numClasses).toBe(3); // inferred: not 28×28, no family in the name
    expect(r.split.train.y.length + r.split.test.y.length).toBe(4);
  });
  it('rejects nothing-but-companions, no files and bad options', async () => {
    const codes = await Promise.all(
      [
        () => importDatasetFiles([]),
        () => importDatasetFiles([{ name: 'readme.html', bytes: new Uint8Array(3) }]),
        () => importDatasetFiles([{ name: 'x.csv', bytes: new TextEncoder().encode('a,l\n1,0\n2,1\n') }], { numClasses: 1 }),
      ].map((f) =>
        f().then(
          () => 'ok',
          (e: unknown) => (e instanceof DatasetError ? e.code : 'crash'),
        ),
      ),
    );
    expect(codes).toEqual(['empty-file', 'unknown-format', 'bad-options']);
  });
  it('never crashes or hangs on arbitrary bytes under any name', async () => {
    const names = fc.constantFrom('train-images-idx3-ubyte', 'x.gz', 'data_batch_1.bin', 't.csv', 'blob', 'test_batch');
    const idxLike = fc.uint8Array({ maxLength: 64 }).map((b) => Uint8Array.from([0, 0, 8, 1, ...b]));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ name: names, bytes: fc.oneof(fc.uint8Array({ maxLength: 256 }), idxLike) }), { minLength: 1, maxLength: 3 }),
        async (files) => {
          try {
            const r = await importDatasetFiles(files);
            validateDataset(r.split.train);
            validateDataset(r.split.test);
          } catch (e) {
            expect(e).toBeInstanceOf(DatasetError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
  it('CIFAR records named test_batch alone are split by seed', async () => {
    const pixels = new Uint8Array(5 * 3072);
    const r = await importDatasetFiles([{ name: 'test_batch.bin', bytes: encodeCifar10({ pixels, labels: [0, 1, 2, 3, 4] }) }]);
    expect(r.splitBySeed).toBe(true);
    expect(r.split.train.y.length).toBe(4);
  });
});

describe('dataset metadata', () => {
  it('reports name, N, shape, classes, counts and source', () => {
    const d = makeSynthetic({ name: 'blobs', n: 30, noise: 0.1, seed: 1, classes: 3 });
    const info = datasetInfo(d);
    expect(info).toMatchObject({ n: 30, inputShape: [2], featureCount: 2, numClasses: 3, classCounts: [10, 10, 10], featureBytes: 240 });
    expect(info.source).toBe('synthetic:blobs(n=30, noise=0.1, seed=1, classes=3)');
    expect(splitInfo({ train: d, test: d }).test.n).toBe(30);
  });
  it('validateDataset catches inconsistent arrays and labels', () => {
    const d = makeSynthetic({ name: 'xor', n: 4, noise: 0, seed: 1 });
    expect(() => validateDataset(d)).not.toThrow();
    expect(() => validateDataset({ ...d, x: d.x.subarray(1) })).toThrow(/count|features/);
    expect(() => validateDataset({ ...d, y: Int32Array.from([0, 1, 2, 0]) })).toThrow(DatasetError);
    expect(() => validateDataset({ ...d, x: Float32Array.from([NaN, 0, 0, 0, 0, 0, 0, 0]) })).toThrow(/NaN/);
  });
});

describe('toDatasetErrorInfo', () => {
  it('keeps code, message and file, and marks other errors as internal', async () => {
    const { toDatasetErrorInfo } = await import('./errors');
    const e = new DatasetError('truncated', 'cut short', 'a.gz');
    const info = toDatasetErrorInfo(e);
    expect(info).toEqual({ code: 'truncated', message: 'a.gz: cut short', file: 'a.gz' });
    expect(structuredClone(info)).toEqual(info);
    expect(toDatasetErrorInfo(new TypeError('x is undefined'))).toEqual({ code: 'internal', message: 'TypeError: x is undefined' });
  });
});
