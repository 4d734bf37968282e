/**
 * IDX files (LeCun's MNIST format, also used by Fashion-MNIST, KMNIST and EMNIST).
 *
 * Layout (big-endian): bytes 0–1 are zero, byte 2 the element type, byte 3 the number of
 * dimensions d; then d uint32 sizes; then the elements in row-major order.
 * Types: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
 */
import { DatasetError } from './errors';
import { hex } from './gzip';
import { MEMORY_BUDGET_BYTES, checkBudget, formatBytes } from './limits';

export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  readonly type: IdxType;
  readonly dims: readonly number[];
  readonly data: IdxData;
}

const TYPES: Record<number, { type: IdxType; size: number }> = {
  0x08: { type: 'uint8', size: 1 },
  0x09: { type: 'int8', size: 1 },
  0x0b: { type: 'int16', size: 2 },
  0x0c: { type: 'int32', size: 4 },
  0x0d: { type: 'float32', size: 4 },
  0x0e: { type: 'float64', size: 8 },
};
const CODES: Record<IdxType, number> = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e };

/** Largest rank we accept: labels are 1-D, images 3-D (N, H, W) or 4-D (N, H, W, C). */
export const IDX_MAX_DIMS = 4;

/** Reads the header only; validates it against the file length. Returns dims, type and data offset. */
export function readIdxHeader(
  bytes: Uint8Array,
  file: string,
  budgetBytes: number = MEMORY_BUDGET_BYTES,
): { type: IdxType; size: number; dims: number[]; offset: number } {
  if (bytes.length === 0) throw new DatasetError('empty-file', 'the file is empty', file);
  if (bytes[0] !== 0 || (bytes.length > 1 && bytes[1] !== 0)) {
    throw new DatasetError(
      'bad-magic',
      `not an IDX file: magic number starts ${hex(bytes, 4)}, expected 00 00 <type> <dims> (e.g. 00 00 08 03 for images)`,
      file,
    );
  }
  if (bytes.length > 2 && TYPES[bytes[2]] === undefined) {
    throw new DatasetError(
      'bad-magic',
      `unknown IDX element type 0x${bytes[2].toString(16).padStart(2, '0')} in magic number ${hex(bytes, 4)}; ` +
        'expected 08 (uint8), 09, 0b, 0c, 0d or 0e',
      file,
    );
  }
  if (bytes.length < 4) {
    throw new DatasetError('truncated', `only ${bytes.length} bytes; an IDX header needs at least 4`, file);
  }
  const { type, size } = TYPES[bytes[2]];
  const nd = bytes[3];
  if (nd < 1 || nd > IDX_MAX_DIMS) {
    throw new DatasetError('bad-header', `IDX header declares ${nd} dimensions; expected 1 to ${IDX_MAX_DIMS}`, file);
  }
  const offset = 4 + 4 * nd;
  if (bytes.length < offset) {
    throw new DatasetError('truncated', `only ${bytes.length} bytes; the IDX header with ${nd} dimensions needs ${offset}`, file);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const zero = dims.indexOf(0);
  if (zero >= 0) {
    throw new DatasetError('bad-header', `IDX dimension ${zero} is 0 (dims ${dims.join(' × ')})`, file);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  // Budget in float32 terms; checked before any allocation and before comparing with the length.
  const perExample = count / dims[0];
  checkBudget(dims[0], perExample, file, budgetBytes);
  const expected = offset + count * size;
  if (bytes.length < expected) {
    throw new DatasetError(
      'truncated',
      `the header promises ${dims.join(' × ')} ${type} values (${formatBytes(expected)}) but the file has ` +
        `${bytes.length.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} bytes; it is cut short`,
      file,
    );
  }
  if (bytes.length > expected) {
    throw new DatasetError(
      'trailing-bytes',
      `${(bytes.length - expected).toLocaleString('en-US')} unexpected bytes after the ${dims.join(' × ')} ${type} ` +
        'values the header declares (wrong dimensions in the header?)',
      file,
    );
  }
  return { type, size, dims, offset };
}

/** Parses a whole (already decompressed) IDX file. */
export function parseIdx(bytes: Uint8Array, file: string, budgetBytes: number = MEMORY_BUDGET_BYTES): IdxArray {
  const { type, size, dims, offset } = readIdxHeader(bytes, file, budgetBytes);
  const count = dims.reduce((a, b) => a * b, 1);
  if (type === 'uint8') return { type, dims, data: bytes.slice(offset, offset + count) };
  if (type === 'int8') return { type, dims, data: new Int8Array(bytes.slice(offset, offset + count).buffer) };
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * size);
  const data =
    type === 'int16'
      ? new Int16Array(count)
      : type === 'int32'
        ? new Int32Array(count)
        : type === 'float32'
          ? new Float32Array(count)
          : new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * size;
    data[i] =
      type === 'int16'
        ? view.getInt16(o, false)
        : type === 'int32'
          ? view.getInt32(o, false)
          : type === 'float32'
            ? view.getFloat32(o, false)
            : view.getFloat64(o, false);
  }
  return { type, dims, data };
}

/** Writes an IDX file (the exact inverse of parseIdx). */
export function encodeIdx(a: IdxArray): Uint8Array {
  const { size } = TYPES[CODES[a.type]];
  const count = a.dims.reduce((x, y) => x * y, 1);
  if (count !== a.data.length) {
    throw new RangeError(`encodeIdx: dims ${a.dims.join('×')} hold ${count} values but data has ${a.data.length}`);
  }
  const offset = 4 + 4 * a.dims.length;
  const out = new Uint8Array(offset + count * size);
  const view = new DataView(out.buffer);
  out[2] = CODES[a.type];
  out[3] = a.dims.length;
  a.dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const o = offset + i * size;
    const v = a.data[i];
    switch (a.type) {
      case 'uint8':
        view.setUint8(o, v);
        break;
      case 'int8':
        view.setInt8(o, v);
        break;
      case 'int16':
        view.setInt16(o, v, false);
        break;
      case 'int32':
        view.setInt32(o, v, false);
        break;
      case 'float32':
        view.setFloat32(o, v, false);
        break;
      case 'float64':
        view.setFloat64(o, v, false);
        break;
    }
  }
  return out;
}

/** uint8 images of an IDX images file: N × H × W (grayscale) or N × H × W × C. */
export interface IdxImages {
  readonly pixels: Uint8Array;
  readonly count: number;
  /** [H, W, C]. */
  readonly shape: [number, number, number];
}

/** An IDX images file as uint8 HWC images. `transpose` swaps H and W (EMNIST stores images transposed). */
export function idxImages(a: IdxArray, file: string, transpose = false): IdxImages {
  if (a.dims.length !== 3 && a.dims.length !== 4) {
    throw new DatasetError(
      'bad-header',
      `an images file must have 3 (N × H × W) or 4 (N × H × W × C) dimensions, this one has ${a.dims.length} (${a.dims.join(' × ')})`,
      file,
    );
  }
  if (a.type !== 'uint8') {
    throw new DatasetError('bad-header', `image pixels must be uint8 (IDX type 0x08), this file holds ${a.type}`, file);
  }
  const [n, h, w] = a.dims;
  const c = a.dims.length === 4 ? a.dims[3] : 1;
  const src = a.data as Uint8Array;
  if (!transpose) return { pixels: src, count: n, shape: [h, w, c] };
  const out = new Uint8Array(src.length);
  const per = h * w * c;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        for (let ch = 0; ch < c; ch++) out[k * per + (j * h + i) * c + ch] = src[k * per + (i * w + j) * c + ch];
      }
    }
  }
  return { pixels: out, count: n, shape: [w, h, c] };
}

/** Labels of an IDX labels file (1-D, integer type). */
export function idxLabels(a: IdxArray, file: string): Int32Array {
  if (a.dims.length !== 1) {
    throw new DatasetError(
      'bad-header',
      `a labels file must be 1-dimensional, this one has ${a.dims.length} dimensions (${a.dims.join(' × ')})`,
      file,
    );
  }
  if (a.type === 'float32' || a.type === 'float64') {
    throw new DatasetError('bad-header', `labels must be integers, this file holds ${a.type}`, file);
  }
  return Int32Array.from(a.data as ArrayLike<number>);
}
