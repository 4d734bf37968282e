/**
 * Audit findings: every importer checks its limits while it reads, so a file over them
 * fails with a 'too-large' error naming the limit after reading about as much as the limit allows,
 * never after holding all of it. Consumption is counted (decompressed bytes, rows), not timed.
 */
import { deflateRawSync, constants, crc32 } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeCifar10 } from './cifar';
import { DatasetError } from './errors';
import { gunzip } from './gzip';
import { encodeIdx } from './idx';
import { importDatasetFiles, type ImportFile } from './import';
import { MAX_EXAMPLES, MEMORY_BUDGET_BYTES, checkImportSizes, formatBytes } from './limits';

const enc = (s: string) => new TextEncoder().encode(s);

/**
 * A gzip file of `repeats` copies of `block`, built without ever holding the decompressed text:
 * after a full flush a deflate block depends on nothing before it, so one compressed block can be
 * repeated; a final empty block and the trailer (CRC-32, length) complete the member.
 */
function repeatedGzip(block: Uint8Array, repeats: number): Uint8Array {
  const deflated = deflateRawSync(block, { finishFlush: constants.Z_FULL_FLUSH });
  const header = Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  const finalBlock = Uint8Array.from([0x03, 0x00]);
  let crc = 0;
  for (let i = 0; i < repeats; i++) crc = crc32(block, crc);
  const trailer = new Uint8Array(8);
  const view = new DataView(trailer.buffer);
  view.setUint32(0, crc, true);
  view.setUint32(4, (block.length * repeats) % 2 ** 32, true);
  const out = new Uint8Array(header.length + deflated.length * repeats + finalBlock.length + trailer.length);
  out.set(header);
  for (let i = 0; i < repeats; i++) out.set(deflated, header.length + i * deflated.length);
  out.set(finalBlock, header.length + repeats * deflated.length);
  out.set(trailer, out.length - 8);
  return out;
}

/** Counts what every DecompressionStream hands on, to show how much of a file an import read. */
function countDecompressedBytes(): { bytes: number } {
  const counter = { bytes: 0 };
  const Real = globalThis.DecompressionStream;
  class Counting {
    readonly writable: WritableStream<BufferSource>;
    readonly readable: ReadableStream<Uint8Array>;
    constructor(format: CompressionFormat) {
      const inner = new Real(format);
      this.writable = inner.writable;
      this.readable = inner.readable.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            counter.bytes += chunk.length;
            controller.enqueue(chunk);
          },
        }),
      );
    }
  }
  vi.stubGlobal('DecompressionStream', Counting);
  return counter;
}

async function failure(files: ImportFile[], options = {}): Promise<DatasetError> {
  const e = await importDatasetFiles(files, options).then(
    () => new Error('accepted'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DatasetError);
  return e as DatasetError;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const ROW = '0,1\n';
const ROWS_PER_BLOCK = 1 << 18; // 1 MiB of text

describe('the repeated-block gzip fixture', () => {
  it('is a valid gzip file of exactly the repeated text', async () => {
    const block = enc('a,b\n1,2\n');
    expect(await gunzip(repeatedGzip(block, 3), 'f.gz')).toEqual(enc('a,b\n1,2\n'.repeat(3)));
  });
});

describe('CSV import within limits', () => {
  it('csv-gz of 60 M rows (a quarter MiB) fails at the example limit, having decompressed only that many rows', async () => {
    const rows = 60 * 2 ** 20;
    const gz = repeatedGzip(enc(ROW.repeat(ROWS_PER_BLOCK)), rows / ROWS_PER_BLOCK);
    expect(gz.length).toBeLessThan(256 * 1024);
    const decompressed = countDecompressedBytes();
    const e = await failure([{ name: 'zeros.csv.gz', bytes: gz }]);
    expect(e.code).toBe('too-large');
    expect(e.message).toBe(
      `zeros.csv.gz: more than ${MAX_EXAMPLES.toLocaleString('en-US')} examples, over the limit of ${MAX_EXAMPLES.toLocaleString('en-US')} examples for one import; import fewer examples`,
    );
    // Bounded: the rows up to the limit (4 bytes each) and a few chunks in flight, not 240 MB.
    expect(decompressed.bytes).toBeGreaterThanOrEqual(MAX_EXAMPLES * ROW.length);
    expect(decompressed.bytes).toBeLessThan(MAX_EXAMPLES * ROW.length + 2 ** 20);
  });

  it('a table over the feature budget fails at the row that crosses it, not after reading the rest', async () => {
    // 4 features per row = 16 bytes of float32; a 1 MiB budget holds 65,536 rows.
    const gz = repeatedGzip(enc('1,2,3,4,0\n'.repeat(1 << 16)), 64);
    const decompressed = countDecompressedBytes();
    const e = await failure([{ name: 'wide.csv.gz', bytes: gz }], { budgetBytes: 2 ** 20 });
    expect(e.code).toBe('too-large');
    expect(e.message).toBe(
      'wide.csv.gz: more than 65,536 examples × 4 features: over the 1.0 MiB memory budget as float32; import fewer examples',
    );
    expect(decompressed.bytes).toBeLessThan(2 * 10 * 2 ** 16);
  });

  it('train and test tables share one budget', async () => {
    const table = enc('a,label\n' + '1,0\n'.repeat(200));
    const e = await failure(
      [
        { name: 'train.csv', bytes: table },
        { name: 'test.csv', bytes: table },
      ],
      { budgetBytes: 300 * 4 },
    );
    expect(e.code).toBe('too-large');
    expect(e.file).toBe('test.csv');
  });

  it('a 600 MiB CSV is reported as too large, naming the limit (it was "not UTF-8")', async () => {
    // Zero bytes are valid UTF-8; the allocation is lazy, so the pages are never touched.
    const e = await failure([{ name: 'huge.csv', bytes: new Uint8Array(600 * 2 ** 20) }]);
    expect(e.code).toBe('too-large');
    expect(e.message).toBe(`huge.csv: 600.0 MiB of CSV text is over the ${formatBytes(MEMORY_BUDGET_BYTES)} limit for one CSV file`);
  });

  it('a .csv.gz that decompresses past the text limit stops there', async () => {
    const gz = repeatedGzip(enc(' '.repeat(2 ** 20)), 8);
    const decompressed = countDecompressedBytes();
    const e = await failure([{ name: 'blank.csv.gz', bytes: gz }], { budgetBytes: 2 ** 20 });
    expect(e.code).toBe('too-large');
    expect(e.message).toBe('blank.csv.gz: more than 1.0 MiB of CSV text, over the 1.0 MiB limit for one CSV file');
    expect(decompressed.bytes).toBeLessThan(3 * 2 ** 20);
  });

  it('a row with more cells than any table has, an endless cell or first line, fails while read', async () => {
    const wide = await failure([{ name: 'w.csv', bytes: enc('1,'.repeat(300_000) + '0\n1,0\n') }]);
    expect(wide.message).toBe('w.csv: line 1 has more than 262,144 cells, the most columns a table may have');
    const cell = await failure([{ name: 'c.csv', bytes: enc('a,label\n1,"' + 'x'.repeat(70_000)) }]);
    expect(cell.message).toBe('c.csv: a quoted field opened on line 2 runs past 65,536 characters; is its closing quote missing?');
  });
});

describe('binary imports within one allowance', () => {
  it('gzip bombs: image files decompress within a quarter of the budget (plus headroom), all files together', async () => {
    const bomb = repeatedGzip(new Uint8Array(2 ** 20), 64); // 64 MiB of zeros in a few KB
    const budget = 4 * 100 * 784; // 100 MNIST images as float32: 306.3 KiB, so 1.1 MiB of binary files
    const decompressed = countDecompressedBytes();
    const e = await failure(
      [
        { name: 'train-labels-idx1-ubyte', bytes: encodeIdx({ type: 'uint8', dims: [100], data: new Uint8Array(100) }) },
        { name: 'train-images-idx3-ubyte.gz', bytes: bomb },
      ],
      { budgetBytes: budget },
    );
    expect(e.code).toBe('too-large');
    expect(e.message).toBe(
      'train-images-idx3-ubyte.gz: decompresses to more than 1.1 MiB; image and label files may hold 1.1 MiB in all (the 306.3 KiB memory budget as float32)',
    );
    expect(decompressed.bytes).toBeLessThan(budget / 4 + 2 ** 20 + 2 ** 18);
  });

  it('many CIFAR batches are refused before they are parsed, by their total size', async () => {
    const batch = encodeCifar10({ pixels: new Uint8Array(100 * 3072), labels: new Array<number>(100).fill(1) });
    const files = Array.from({ length: 10 }, (_, i) => ({ name: `data_batch_${i + 1}.bin`, bytes: batch }));
    const budget = 4 * 3072 * 100; // 100 images; the allowance is 1 MiB more than their bytes
    const e = await failure(files, { budgetBytes: budget });
    expect(e.code).toBe('too-large');
    expect(e.message).toBe(
      'data_batch_5.bin: 300.1 KiB with the files before it; image and label files may hold 1.3 MiB in all (the 1.2 MiB memory budget as float32)',
    );
  });
});

describe('sizes alone, before reading (what the page checks on File.size)', () => {
  it('refuses one file over the largest an import accepts, or files together over twice that', () => {
    const message = (files: { name: string; size: number }[]) => {
      try {
        checkImportSizes(files);
        return 'accepted';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(
      message([
        { name: 'a.csv', size: 512 * 2 ** 20 },
        { name: 'b.csv', size: 512 * 2 ** 20 },
      ]),
    ).toBe('accepted');
    expect(message([{ name: 'huge.csv', size: 5 * 2 ** 30 }])).toBe('huge.csv: 5.00 GiB is over the 512.0 MiB limit for one file');
    expect(message([1, 2, 3].map((i) => ({ name: `data_batch_${i}.bin`, size: 400 * 2 ** 20 })))).toBe(
      '1.17 GiB in 3 files is over the 1.00 GiB limit for one import',
    );
  });
});
