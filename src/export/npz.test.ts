import { describe, expect, it } from 'vitest';
import { npyBytes, npzBytes } from './npz';
import { NUMPY_MISSING, runPython, tempFile } from './testing/scriptFacts';
import { crc32, zipStore } from './zip';

const skipNote = NUMPY_MISSING ? ` (skipped: ${NUMPY_MISSING})` : '';

describe('.npz writer', () => {
  it('CRC-32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('.npy headers are 64-byte aligned, and a shape must fit its array', () => {
    for (const n of [0, 1, 7, 1000]) {
      const b = npyBytes({ data: new Float32Array(n), shape: [n] });
      const headerLen = b[8] | (b[9] << 8);
      expect((10 + headerLen) % 64).toBe(0);
      expect(b[10 + headerLen - 1]).toBe(0x0a);
    }
    expect(() => npyBytes({ data: new Uint8Array(6), shape: [4, 2] })).toThrow(/holds 8 values, the array has 6/);
    expect(() => npyBytes({ data: new Uint8Array(2), shape: [2.5] })).toThrow(/bad shape/);
    expect(() => npzBytes({ 'x.npy/../../evil': { data: new Uint8Array(1), shape: [1] } })).toThrow(/must be an identifier/);
    expect(() => zipStore([{ name: '../evil', bytes: new Uint8Array(1) }])).toThrow(/without '\.\.'/);
    expect(() =>
      zipStore([
        { name: 'a', bytes: new Uint8Array(1) },
        { name: 'a', bytes: new Uint8Array(1) },
      ]),
    ).toThrow(/duplicate/);
  });

  it.skipIf(NUMPY_MISSING)(`numpy loads what it writes: dtypes, shapes and values round-trip${skipNote}`, () => {
    const arrays = {
      pixels: { data: Uint8Array.from([0, 1, 127, 128, 254, 255]), shape: [2, 1, 3] },
      labels: { data: Int32Array.from([0, -1, 2147483647, -2147483648]), shape: [4] },
      features: { data: Float32Array.from([0.1, -2.5, 1e-30, 3.4e38, -0, 123456.789]), shape: [3, 2] },
      empty: { data: new Float32Array(0), shape: [0, 2] },
      one: { data: Float32Array.from([7]), shape: [1] },
    };
    const file = tempFile(npzBytes(arrays), '.npz');
    const program = [
      'import json, sys, zipfile',
      'import numpy as np',
      'assert zipfile.ZipFile(sys.argv[1]).testzip() is None',
      'd = np.load(sys.argv[1])',
      'json.dump({k: {"dtype": d[k].dtype.str, "shape": list(d[k].shape), "values": d[k].ravel().tolist()} for k in d.files}, sys.stdout)',
    ].join('\n');
    const back = runPython<Record<string, { dtype: string; shape: number[]; values: number[] }>>(program, [file]);
    expect(Object.keys(back).sort()).toEqual(Object.keys(arrays).sort());
    const dtype = { pixels: '|u1', labels: '<i4', features: '<f4', empty: '<f4', one: '<f4' };
    for (const [k, a] of Object.entries(arrays)) {
      expect(back[k].dtype).toBe(dtype[k as keyof typeof dtype]);
      expect(back[k].shape).toEqual(a.shape);
      expect(back[k].values).toEqual(Array.from(a.data as ArrayLike<number>)); // -0 included: the bytes are kept
    }
  });
});
