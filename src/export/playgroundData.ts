/**
 * The playground's exact training and test examples as an .npz file an exported script reads offline
 * (`autoclip export --data playground`, or the playground's "with its data" export): the split the
 * engine trains on (src/engine/datasets.ts), not a re-download or a regeneration.
 */
import type { DataConfig } from '../config/runConfig';
import { fnv1a } from '../data/asset';
import type { Dataset, DatasetSplit } from '../data/types';
import { npzBytes, type NpyArray } from './npz';

/** Sources whose examples the export can write (an imported set stays in the browser that imported it). */
export function canWritePlaygroundData(data: DataConfig): boolean {
  return data.source === 'mnist' || data.source === 'synthetic';
}

/**
 * The data file's name. MNIST is always the same embedded set; a synthetic set depends on its
 * parameters and the seed, so its name carries a fingerprint of them.
 */
export function playgroundDataFileName(data: DataConfig, seed: number): string {
  switch (data.source) {
    case 'mnist':
      return 'mnist_playground.npz';
    case 'synthetic': {
      const id = fnv1a(new TextEncoder().encode(JSON.stringify([data.name, data.n, data.noise, data.testFraction, seed])));
      return `${data.name}_playground_${id.toString(16).padStart(8, '0')}.npz`;
    }
    case 'imported':
      throw new Error('export: an imported dataset stays on the device that imported it; its data cannot be bundled');
  }
}

/** x as bytes when every value is exactly byte / 255 in float32 (the embedded MNIST's pixels), else null. */
function exactBytes(x: Float32Array): Uint8Array | null {
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const b = Math.round(x[i] * 255);
    if (!(b >= 0 && b <= 255) || Math.fround(b / 255) !== x[i]) return null;
    out[i] = b;
  }
  return out;
}

/** Rows of [H, W, C] images reordered to [C, H, W] (PyTorch's layout); other shapes unchanged. */
function channelsFirst<T extends Uint8Array | Float32Array>(x: T, shape: readonly number[]): T {
  if (shape.length !== 3 || shape[2] === 1) return x;
  const [h, w, c] = shape;
  const per = h * w * c;
  const out = new (x.constructor as new (n: number) => T)(x.length);
  for (let base = 0; base < x.length; base += per) {
    for (let i = 0; i < h * w; i++) for (let k = 0; k < c; k++) out[base + k * h * w + i] = x[base + i * c + k];
  }
  return out;
}

function arrays(d: Dataset): { x: NpyArray; y: NpyArray } {
  const n = d.y.length;
  const shape = d.inputShape.length === 3 ? [n, d.inputShape[2], d.inputShape[0], d.inputShape[1]] : [n, ...d.inputShape];
  const bytes = exactBytes(d.x);
  return { x: { data: channelsFirst(bytes ?? d.x, d.inputShape), shape }, y: { data: d.y, shape: [n] } };
}

/**
 * The split as an .npz with x_train, y_train, x_test, y_test. x is uint8 when that reproduces the
 * playground's float32 values exactly (the script then divides by 255 in float32, as the playground
 * does), float32 otherwise; images are channels-first. y is int32.
 */
export function playgroundDataNpz(split: DatasetSplit): Uint8Array {
  const train = arrays(split.train);
  const test = arrays(split.test);
  return npzBytes({ x_train: train.x, y_train: train.y, x_test: test.x, y_test: test.y });
}
