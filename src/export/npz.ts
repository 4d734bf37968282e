/**
 * numpy's .npz format, written without numpy: a ZIP of .npy files (NEP 1, "A Simple File Format for
 * NumPy Arrays", version 1.0: magic, header length, a Python-literal header dict padded so the data
 * starts on a 64-byte boundary, then the raw little-endian array in C order). `np.load(path)` reads
 * the result with allow_pickle=False.
 */
import { zipStore } from './zip';

export interface NpyArray {
  readonly data: Uint8Array | Int32Array | Float32Array;
  readonly shape: readonly number[];
}

function descr(data: NpyArray['data']): string {
  if (data instanceof Uint8Array) return '|u1';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Float32Array) return '<f4';
  throw new Error('npy: only uint8, int32 and float32 arrays are written');
}
const ALIGN = 64;

/** One array as .npy bytes. */
export function npyBytes(a: NpyArray): Uint8Array {
  if (!a.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new Error(`npy: bad shape [${a.shape.join(', ')}]`);
  const count = a.shape.reduce((x, y) => x * y, 1);
  if (count !== a.data.length) throw new Error(`npy: shape [${a.shape.join(', ')}] holds ${count} values, the array has ${a.data.length}`);
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  const dict = `{'descr': '${descr(a.data)}', 'fortran_order': False, 'shape': ${shape}, }`;
  const prefix = 10; // magic (6) + version (2) + header length (2)
  const headerLen = Math.ceil((prefix + dict.length + 1) / ALIGN) * ALIGN - prefix;
  const header = dict.padEnd(headerLen - 1, ' ') + '\n';
  // Typed arrays are in platform byte order; every platform JS runs on is little-endian, and this checks it.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('npy: big-endian platforms are not supported');
  const body = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const out = new Uint8Array(prefix + headerLen + body.length);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, headerLen, true);
  out.set(new TextEncoder().encode(header), prefix);
  out.set(body, prefix + headerLen);
  return out;
}

/** Named arrays as an .npz archive (np.load(path)[name]). */
export function npzBytes(arrays: Readonly<Record<string, NpyArray>>): Uint8Array {
  return zipStore(
    Object.entries(arrays).map(([name, a]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`npz: array name ${JSON.stringify(name)} must be an identifier`);
      return { name: `${name}.npy`, bytes: npyBytes(a) };
    }),
  );
}
