import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeCsv, encodeCsvLabels, parseCsv, splitCsvRows } from './csv';
import { importDatasetFiles } from './import';
import { DatasetError } from './errors';
import { createRng } from './random';

const enc = (s: string) => new TextEncoder().encode(s);

async function code(files: { name: string; bytes: Uint8Array }[], o = {}): Promise<string> {
  try {
    await importDatasetFiles(files, o);
  } catch (e) {
    if (e instanceof DatasetError) return e.code;
    throw e;
  }
  return 'ok';
}

describe('CSV', () => {
  it('round-trips float32 features and labels exactly', () => {
    const r = createRng(1);
    const rows = Array.from({ length: 40 }, () => [
      Math.fround(r.normal() * 1e3),
      Math.fround(r.next() * 1e-6),
      r.int(3),
      Math.fround(-r.next()),
    ]);
    const t = parseCsv(encodeCsv(['a', 'b', 'label', 'c'], rows), 'f.csv');
    expect(t.featureNames).toEqual(['a', 'b', 'c']);
    expect(t.labelName).toBe('label');
    expect(Array.from(t.x)).toEqual(rows.flatMap((row) => [row[0], row[1], row[3]]));
    expect(t.labels).toEqual(rows.map((row) => String(row[2])));
  });
  it('handles quotes, CRLF, semicolons, BOM, blank lines, no header and text labels', () => {
    const rows = splitCsvRows('"x, y",z\r\n"say ""hi""",2\r\n\r\n', 'f');
    expect(rows.map((r) => r.cells)).toEqual([['x, y', 'z'], ['say "hi"', '2']]);
    const semi = parseCsv(enc('\ufeffw;h;species\n1,5;2;setosa\n3;4;virginica\n'), 'f.csv');
    expect(semi.featureNames).toEqual(['w', 'h']);
    const noHeader = parseCsv(enc('1,2,0\n3,4,1\n'), 'f.csv');
    expect(noHeader.featureNames).toEqual(['column 1', 'column 2']);
    expect(Array.from(noHeader.x)).toEqual([1, 2, 3, 4]);
    const t = parseCsv(enc('a,b,kind\n1,2,cat\n3,4,dog\n5,6,cat\n'), 'f.csv');
    const l = encodeCsvLabels([t]);
    expect(l.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(l.y[0])).toEqual([0, 1, 0]);
    expect(parseCsv(enc('y,a\n1,2\n0,3\n'), 'f.csv').featureNames).toEqual(['a']);
    expect(parseCsv(enc('a,b,c\n1,2,0\n'), 'f.csv', { labelColumn: 'a' }).labelName).toBe('a');
    expect(parseCsv(enc('a,b,c\n1,2,0\n'), 'f.csv', { labelColumn: 1 }).featureNames).toEqual(['a', 'c']);
  });
  it('reports each malformed input with its code, line and column', async () => {
    const f = (s: string) => [{ name: 'data.csv', bytes: enc(s) }];
    expect(await code(f(''))).toBe('empty-file');
    expect(await code(f('\n\n'))).toBe('empty-file');
    expect(await code(f('a,b,label\n'))).toBe('empty-file');
    expect(await code(f('a,b,label\n1,2,0\n3,0\n'))).toBe('ragged-row');
    expect(await code(f('a,b,label\n1,2,0\n3,x,1\n'))).toBe('non-numeric');
    expect(await code(f('a,b,label\n1,2,0\n3,,1\n'))).toBe('non-numeric');
    expect(await code(f('a,b,label\n1,2,0\n3,4,-1\n'))).toBe('label-out-of-range');
    expect(await code(f('a,b,label\n1,2,0\n3,4,1.5\n'))).toBe('label-out-of-range');
    expect(await code(f('a,b,label\n1,2,0\n3,4,"1\n'))).toBe('truncated');
    expect(await code(f('a,b,label\n1,2,0\n'), { csv: { labelColumn: 'target' } })).toBe('missing-label-column');
    expect(await code(f('a,b,label\n1,2,0\n3,4,5\n'), { numClasses: 3 })).toBe('label-out-of-range');
    expect(await code(f('a,b,label\n1,2,0\n3,4,1\n'), { budgetBytes: 8 })).toBe('too-large');
    expect(await code([{ name: 'd.csv', bytes: Uint8Array.from([0xff, 0xfe, 0x41]) }])).toBe('unknown-format');
    expect(
      await code([
        { name: 'train.csv', bytes: enc('a,b,label\n1,2,0\n') },
        { name: 'test.csv', bytes: enc('a,c,label\n1,2,0\n') },
      ]),
    ).toBe('mixed-shapes');
    const err: unknown = await importDatasetFiles(f('a,b,label\n1,2,0\n3,x,1\n')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).message).toBe("data.csv: line 3, column 'b': 'x' is not a number; feature columns must be numeric");
  });
  it('standardises with train statistics only', async () => {
    const train = encodeCsv(['a', 'b', 'label'], [[1, 10, 0], [3, 10, 1], [5, 10, 0]]);
    const test = encodeCsv(['a', 'b', 'label'], [[100, 7, 1]]);
    const r = await importDatasetFiles([
      { name: 'iris_train.csv', bytes: train },
      { name: 'iris_test.csv', bytes: test },
    ]);
    const sd = Math.sqrt(8 / 3);
    expect(Array.from(r.split.train.x)).toEqual([-2 / sd, 0, 0, 0, 2 / sd, 0].map(Math.fround));
    // Test uses the train mean 3 and sd; the constant column keeps sd 1 (centred at 10).
    expect(Array.from(r.split.test.x)).toEqual([Math.fround(97 / sd), -3]);
    expect(r.split.train.inputShape).toEqual([2]);
    expect(r.split.train.source).toMatch(/standardised with train/);
    const raw = await importDatasetFiles([{ name: 'iris_train.csv', bytes: train }, { name: 'iris_test.csv', bytes: test }], { standardize: false });
    expect(Array.from(raw.split.test.x)).toEqual([100, 7]);
  });
  it('never crashes or hangs on arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (s) => {
        const c = await code([{ name: 'x.csv', bytes: enc(s) }]);
        expect(typeof c).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});
