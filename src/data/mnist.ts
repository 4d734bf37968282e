/**
 * The embedded MNIST (8,000 train / 2,000 test real digits), built by scripts/build-mnist-asset.mjs
 * into public/generated/. Parsing only, shared by every environment: the browser fetches it in
 * ./mnistBrowser.ts, Node reads the file in ./node.ts.
 */
import type { DatasetSplit } from './types';
import { decodeImageAsset, imageAssetToSplit, type ImageAsset } from './asset';
import { DatasetError } from './errors';

export const MNIST_ASSET_FILE = 'mnist.acds';

/** Parses the asset bytes (Node or browser) into uint8 pixels, labels and split bookkeeping. */
export function parseMnistAsset(bytes: ArrayBuffer | Uint8Array, file: string = MNIST_ASSET_FILE): ImageAsset {
  const a = decodeImageAsset(bytes, file);
  if (a.shape[0] !== 28 || a.shape[1] !== 28 || a.shape[2] !== 1 || a.numClasses !== 10) {
    throw new DatasetError(
      'bad-header',
      `expected 28×28×1 images in 10 classes, the asset has ${a.shape.join('×')} in ${a.numClasses}`,
      file,
    );
  }
  return a;
}

/** Parses the asset into a train/test split with pixels in [0, 1]. */
export function parseMnistSplit(bytes: ArrayBuffer | Uint8Array, file: string = MNIST_ASSET_FILE): DatasetSplit {
  return imageAssetToSplit(parseMnistAsset(bytes, file));
}

/** URL of the asset under the app's base path (Vite's BASE_URL; '/' outside Vite). */
export function mnistAssetUrl(baseUrl?: string): string {
  const base = baseUrl ?? (import.meta.env?.BASE_URL as string | undefined) ?? '/';
  return `${base.endsWith('/') ? base : `${base}/`}generated/${MNIST_ASSET_FILE}`;
}
