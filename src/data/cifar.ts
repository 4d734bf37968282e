/**
 * CIFAR-10 binary batches (data_batch_1.bin … data_batch_5.bin, test_batch.bin): a sequence of
 * 3,073-byte records, each 1 label byte (0–9) then 3,072 pixel bytes stored channel-major
 * (1,024 red, 1,024 green, 1,024 blue, each 32 × 32 row-major). There is no header or magic number,
 * so the checks are the record size and the label range.
 */
import { DatasetError } from './errors';
import { MEMORY_BUDGET_BYTES, checkBudget } from './limits';

export const CIFAR_SIDE = 32;
export const CIFAR_CHANNELS = 3;
export const CIFAR_PIXELS = CIFAR_SIDE * CIFAR_SIDE * CIFAR_CHANNELS;
export const CIFAR_RECORD = 1 + CIFAR_PIXELS;
export const CIFAR10_CLASSES = 10;
export const CIFAR10_CLASS_NAMES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

export interface CifarBatch {
  readonly count: number;
  /** count × 32 × 32 × 3, HWC (converted from the file's CHW). */
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
}

/** True when the file's size is a whole number of CIFAR-10 records. */
export function looksLikeCifar10(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes.length % CIFAR_RECORD === 0;
}

export function parseCifar10(bytes: Uint8Array, file: string, budgetBytes: number = MEMORY_BUDGET_BYTES): CifarBatch {
  if (bytes.length === 0) throw new DatasetError('empty-file', 'the file is empty', file);
  const count = Math.floor(bytes.length / CIFAR_RECORD);
  const rest = bytes.length % CIFAR_RECORD;
  if (rest !== 0) {
    throw new DatasetError(
      'truncated',
      `${bytes.length.toLocaleString('en-US')} bytes is not a whole number of 3,073-byte CIFAR-10 records ` +
        `(${count} full records and ${rest} bytes left over); the file is cut short or not a CIFAR-10 batch`,
      file,
    );
  }
  checkBudget(count, CIFAR_PIXELS, file, budgetBytes);
  const labels = new Int32Array(count);
  const pixels = new Uint8Array(count * CIFAR_PIXELS);
  const plane = CIFAR_SIDE * CIFAR_SIDE;
  for (let r = 0; r < count; r++) {
    const base = r * CIFAR_RECORD;
    const label = bytes[base];
    if (label >= CIFAR10_CLASSES) {
      throw new DatasetError('label-out-of-range', `record ${r} (byte offset ${base}) has label ${label}; CIFAR-10 labels are 0–9`, file);
    }
    labels[r] = label;
    const out = r * CIFAR_PIXELS;
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < CIFAR_CHANNELS; c++) pixels[out + p * CIFAR_CHANNELS + c] = bytes[base + 1 + c * plane + p];
    }
  }
  return { count, pixels, labels };
}

/** Writes CIFAR-10 binary records from HWC pixels (the exact inverse of parseCifar10). */
export function encodeCifar10(batch: { pixels: Uint8Array; labels: ArrayLike<number> }): Uint8Array {
  const count = batch.labels.length;
  if (batch.pixels.length !== count * CIFAR_PIXELS) {
    throw new RangeError(`encodeCifar10: ${count} labels need ${count * CIFAR_PIXELS} pixels, got ${batch.pixels.length}`);
  }
  const out = new Uint8Array(count * CIFAR_RECORD);
  const plane = CIFAR_SIDE * CIFAR_SIDE;
  for (let r = 0; r < count; r++) {
    const base = r * CIFAR_RECORD;
    out[base] = batch.labels[r];
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < CIFAR_CHANNELS; c++) out[base + 1 + c * plane + p] = batch.pixels[r * CIFAR_PIXELS + p * CIFAR_CHANNELS + c];
    }
  }
  return out;
}
