/**
 * "ACDS" — the compact binary container for uint8 image datasets shipped with the app (the embedded
 * MNIST). One format, written at build time and read in the browser and in Node.
 *
 * Little-endian layout:
 *   0  4   magic "ACDS"
 *   4  u32 version (1)
 *   8  u32 payload offset in bytes (= 48 + meta length rounded up to 4)
 *  12  u32 nTrain        16 u32 nTest
 *  20  u32 height        24 u32 width        28 u32 channels
 *  32  u32 numClasses    36 u32 split seed
 *  40  u32 FNV-1a 32-bit checksum of the whole file with these 4 bytes taken as zero
 *  44  u32 meta length (bytes of UTF-8 JSON {"name","source"})
 *  48  meta JSON, zero-padded to a multiple of 4
 * payload (N = nTrain + nTest; train rows first, then test rows):
 *  u32 sourceIndex[N]   row number of each example in the source (disjoint train/test proof)
 *  u8  labels[N]
 *  u8  pixels[N × H × W × C]   HWC row-major, 0–255
 */
import { DatasetError } from './errors';
import { MEMORY_BUDGET_BYTES, checkBudget } from './limits';
import type { Dataset, DatasetSplit } from './types';

export const ACDS_MAGIC = 'ACDS';
export const ACDS_VERSION = 1;
const FIXED = 48;

export interface ImageAsset {
  readonly name: string;
  readonly source: string;
  readonly nTrain: number;
  readonly nTest: number;
  /** [H, W, C]. */
  readonly shape: readonly [number, number, number];
  readonly numClasses: number;
  readonly splitSeed: number;
  readonly sourceIndex: Uint32Array;
  readonly labels: Uint8Array;
  readonly pixels: Uint8Array;
}

/** FNV-1a, 32-bit. Enough to catch truncation and corruption of a cached asset; not cryptographic. */
export function fnv1a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const CHECKSUM_AT = 40;

/** Checksum of the file with the checksum field read as zero. */
function fileChecksum(bytes: Uint8Array): number {
  const h = fnv1a(bytes.subarray(0, CHECKSUM_AT));
  return fnv1a(bytes.subarray(CHECKSUM_AT + 4), fnv1a(new Uint8Array(4), h));
}

export function encodeImageAsset(a: ImageAsset): Uint8Array {
  const n = a.nTrain + a.nTest;
  const per = a.shape[0] * a.shape[1] * a.shape[2];
  if (a.labels.length !== n || a.sourceIndex.length !== n || a.pixels.length !== n * per) {
    throw new RangeError(
      `encodeImageAsset: ${n} examples need ${n} labels/indices and ${n * per} pixels; got ` +
        `${a.labels.length}/${a.sourceIndex.length} and ${a.pixels.length}`,
    );
  }
  const meta = new TextEncoder().encode(JSON.stringify({ name: a.name, source: a.source }));
  const offset = FIXED + Math.ceil(meta.length / 4) * 4;
  const payloadLen = 4 * n + n + n * per;
  const out = new Uint8Array(offset + payloadLen);
  const v = new DataView(out.buffer);
  out.set(new TextEncoder().encode(ACDS_MAGIC), 0);
  const header = [ACDS_VERSION, offset, a.nTrain, a.nTest, a.shape[0], a.shape[1], a.shape[2], a.numClasses, a.splitSeed >>> 0];
  header.forEach((x, i) => v.setUint32(4 + 4 * i, x, true));
  v.setUint32(44, meta.length, true);
  out.set(meta, FIXED);
  for (let i = 0; i < n; i++) v.setUint32(offset + 4 * i, a.sourceIndex[i], true);
  out.set(a.labels, offset + 4 * n);
  out.set(a.pixels, offset + 5 * n);
  v.setUint32(CHECKSUM_AT, fileChecksum(out), true);
  return out;
}

export function decodeImageAsset(input: ArrayBuffer | Uint8Array, file: string, budgetBytes: number = MEMORY_BUDGET_BYTES): ImageAsset {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length === 0) throw new DatasetError('empty-file', 'the file is empty', file);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (!ACDS_MAGIC.startsWith(magic) || (bytes.length >= 4 && magic !== ACDS_MAGIC)) {
    throw new DatasetError('bad-magic', `not an ACDS dataset asset: starts with '${magic}', expected '${ACDS_MAGIC}'`, file);
  }
  if (bytes.length < FIXED) {
    throw new DatasetError('truncated', `only ${bytes.length} bytes; the ACDS header needs ${FIXED}`, file);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u = (o: number): number => v.getUint32(o, true);
  const version = u(4);
  if (version !== ACDS_VERSION) {
    throw new DatasetError('bad-header', `ACDS version ${version}; this build reads version ${ACDS_VERSION} (rebuild the asset)`, file);
  }
  const [offset, nTrain, nTest, h, w, c, numClasses, splitSeed, checksum, metaLen] = [8, 12, 16, 20, 24, 28, 32, 36, 40, 44].map(u);
  if (offset !== FIXED + Math.ceil(metaLen / 4) * 4) {
    throw new DatasetError('bad-header', `payload offset ${offset} does not match the ${metaLen}-byte metadata`, file);
  }
  if (h === 0 || w === 0 || c === 0 || nTrain === 0 || numClasses < 2 || numClasses > 256) {
    throw new DatasetError(
      'bad-header',
      `implausible header: ${nTrain} train / ${nTest} test examples of ${h}×${w}×${c}, ${numClasses} classes`,
      file,
    );
  }
  const n = nTrain + nTest;
  const per = h * w * c;
  checkBudget(n, per, file, budgetBytes);
  const expected = offset + 5 * n + n * per;
  if (bytes.length < expected) {
    throw new DatasetError('truncated', `${bytes.length} bytes but the header describes ${expected}; the file is cut short`, file);
  }
  if (bytes.length > expected) {
    throw new DatasetError('trailing-bytes', `${bytes.length - expected} unexpected bytes after the data the header describes`, file);
  }
  if (fileChecksum(bytes) !== checksum) {
    throw new DatasetError('corrupt', 'checksum mismatch: the data is corrupted (rebuild with `npm run data:mnist`)', file);
  }
  let meta: { name?: unknown; source?: unknown };
  try {
    meta = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED, FIXED + metaLen))) as typeof meta;
  } catch {
    throw new DatasetError('bad-header', 'metadata is not valid UTF-8 JSON', file);
  }
  if (typeof meta.name !== 'string' || typeof meta.source !== 'string') {
    throw new DatasetError('bad-header', 'metadata must have string "name" and "source"', file);
  }
  const sourceIndex = new Uint32Array(n);
  for (let i = 0; i < n; i++) sourceIndex[i] = u(offset + 4 * i);
  const labels = bytes.slice(offset + 4 * n, offset + 5 * n);
  for (let i = 0; i < n; i++) {
    if (labels[i] >= numClasses) {
      throw new DatasetError('label-out-of-range', `example ${i} has label ${labels[i]}; the header says ${numClasses} classes`, file);
    }
  }
  return {
    name: meta.name,
    source: meta.source,
    nTrain,
    nTest,
    shape: [h, w, c],
    numClasses,
    splitSeed,
    sourceIndex,
    labels,
    pixels: bytes.slice(offset + 5 * n, expected),
  };
}

/** uint8 pixels → float32 in [0, 1]; rows [from, to). */
function toDataset(a: ImageAsset, from: number, to: number, part: string): Dataset {
  const per = a.shape[0] * a.shape[1] * a.shape[2];
  const px = a.pixels.subarray(from * per, to * per);
  const x = new Float32Array(px.length);
  for (let i = 0; i < px.length; i++) x[i] = px[i] / 255;
  return {
    name: a.name,
    x,
    y: Int32Array.from(a.labels.subarray(from, to)),
    inputShape: [...a.shape],
    numClasses: a.numClasses,
    source: `${a.source}; ${part} part of the seed-${a.splitSeed} split (${a.nTrain}/${a.nTest})`,
  };
}

/** The asset as a train/test split with pixels scaled to [0, 1]. */
export function imageAssetToSplit(a: ImageAsset): DatasetSplit {
  const n = a.nTrain + a.nTest;
  return { train: toDataset(a, 0, a.nTrain, 'train'), test: toDataset(a, a.nTrain, n, 'test') };
}
