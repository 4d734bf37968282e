/**
 * Node-only helpers (CLI, tests, benchmarks): read the embedded MNIST asset and import dataset
 * files from paths. Never imported by browser code, so node:fs stays out of the bundle.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetSplit } from './types';
import { imageAssetToSplit, type ImageAsset } from './asset';
import { DatasetError } from './errors';
import { importDatasetFiles, type ImportFile, type ImportOptions, type ImportResult } from './import';
import { MEMORY_BUDGET_BYTES, formatBytes } from './limits';
import { MNIST_ASSET_FILE, parseMnistAsset } from './mnist';

/** public/generated/mnist.acds in this checkout (written by `npm run data:mnist`). */
export function defaultMnistAssetPath(): string {
  return fileURLToPath(new URL(`../../public/generated/${MNIST_ASSET_FILE}`, import.meta.url));
}

async function readBytes(path: string, maxBytes: number): Promise<Uint8Array> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new DatasetError('io', 'not a regular file', path);
    size = s.size;
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw new DatasetError('io', `cannot read: ${e instanceof Error ? e.message : String(e)}`, path);
  }
  if (size > maxBytes) {
    throw new DatasetError('too-large', `${formatBytes(size)} on disk is over the ${formatBytes(maxBytes)} limit for one file`, path);
  }
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new DatasetError('io', `cannot read: ${e instanceof Error ? e.message : String(e)}`, path);
  }
}

export async function readMnistAsset(path: string = defaultMnistAssetPath()): Promise<ImageAsset> {
  try {
    await stat(path);
  } catch {
    throw new DatasetError('io', 'the embedded MNIST asset is missing; run `npm run data:mnist`', path);
  }
  return parseMnistAsset(await readBytes(path, 64 * 1024 * 1024), path);
}

/** The embedded MNIST train/test split read from disk (pixels in [0, 1]). */
export async function readMnistSplit(path: string = defaultMnistAssetPath()): Promise<DatasetSplit> {
  return imageAssetToSplit(await readMnistAsset(path));
}

/**
 * importDatasetFiles over paths; a directory contributes its files (not recursively). Files over
 * twice the memory budget are refused before reading.
 */
export async function importDatasetPaths(paths: readonly string[], options: ImportOptions = {}): Promise<ImportResult> {
  const maxBytes = 2 * (options.budgetBytes ?? MEMORY_BUDGET_BYTES);
  const files: ImportFile[] = [];
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = (await stat(p)).isDirectory();
    } catch (e) {
      throw new DatasetError('io', `cannot read: ${e instanceof Error ? e.message : String(e)}`, p);
    }
    const list = isDir ? (await readdir(p)).sort().map((f) => join(p, f)) : [p];
    for (const f of list) {
      if (isDir && !(await stat(f)).isFile()) continue;
      files.push({ name: f, bytes: await readBytes(f, maxBytes) });
    }
  }
  return importDatasetFiles(files, options);
}
