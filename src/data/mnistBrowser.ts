/**
 * Loads the embedded MNIST in the browser or the worker with fetch(). No Node imports: this file is
 * part of the browser bundle.
 */
import type { DatasetSplit } from './types';
import { imageAssetToSplit, type ImageAsset } from './asset';
import { DatasetError } from './errors';
import { mnistAssetUrl, parseMnistAsset } from './mnist';

export interface FetchMnistOptions {
  /** Defaults to Vite's BASE_URL. */
  readonly baseUrl?: string;
  readonly signal?: AbortSignal;
  /** Defaults to the global fetch. */
  readonly fetchFn?: typeof fetch;
}

/** Fetches and parses the embedded asset (browser / worker). Errors are DatasetErrors with code 'io' or a format code. */
export async function fetchMnistAsset(options: FetchMnistOptions = {}): Promise<ImageAsset> {
  const url = mnistAssetUrl(options.baseUrl);
  const f = options.fetchFn ?? fetch;
  let res: Response;
  try {
    res = await f(url, { signal: options.signal });
  } catch (e) {
    if (options.signal?.aborted) throw e;
    throw new DatasetError('io', `could not fetch the embedded MNIST: ${e instanceof Error ? e.message : String(e)}`, url);
  }
  if (!res.ok) {
    throw new DatasetError('io', `HTTP ${res.status} fetching the embedded MNIST; was the asset built (npm run data:mnist)?`, url);
  }
  return parseMnistAsset(await res.arrayBuffer(), url);
}

/** Fetches the embedded MNIST as a train/test split with pixels in [0, 1]. */
export async function fetchMnistSplit(options: FetchMnistOptions = {}): Promise<DatasetSplit> {
  return imageAssetToSplit(await fetchMnistAsset(options));
}

/** The worker's default dataset provider: the embedded MNIST split, fetched from the app's base URL. */
export function loadEmbeddedMnist(): Promise<DatasetSplit> {
  return fetchMnistSplit();
}
