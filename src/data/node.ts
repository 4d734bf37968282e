/**
 * Node-only helpers (CLI, tests, benchmarks): read the embedded MNIST asset and import dataset
 * files from paths. Never imported by browser code, so node:fs stays out of the bundle.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetSplit } from './types';
import { imageAssetToSplit, type ImageAsset } from './asset';
import { DatasetError } from './errors';
import { importDatasetFiles, type ImportFile, type ImportOptions, type ImportResult } from './import';
import { MEMORY_BUDGET_BYTES, fileBytesLimit, formatBytes, importBytesLimit } from './limits';
import { readBoundedFile } from './boundedFile';
import { MNIST_ASSET_FILE, parseMnistAsset } from './mnist';

/** public/generated/mnist.acds in this checkout (written by `npm run data:mnist`). */
export function defaultMnistAssetPath(): string {
  return fileURLToPath(new URL(`../../public/generated/${MNIST_ASSET_FILE}`, import.meta.url));
}

/** Reads at most `maxBytes` of a regular file; `limit` says which limit that is, for the message. */
async function readBytes(path: string, maxBytes: number, limit = `the ${formatBytes(maxBytes)} limit for one file`): Promise<Uint8Array> {
  const r = await readBoundedFile(path, maxBytes);
  if (r.ok) return r.bytes;
  if (r.problem === 'too-large') throw new DatasetError('too-large', `${formatBytes(r.size ?? maxBytes + 1)} is over ${limit}`, path);
  throw new DatasetError('io', `cannot read: ${r.detail}`, path);
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
 * importDatasetFiles over paths; a directory contributes its files (not recursively). A file is read
 * only up to the largest size an import accepts, and all of them together up to twice that.
 */
export async function importDatasetPaths(paths: readonly string[], options: ImportOptions = {}): Promise<ImportResult> {
  const budget = options.budgetBytes ?? MEMORY_BUDGET_BYTES;
  const perFile = fileBytesLimit(budget);
  const all = importBytesLimit(budget);
  const files: ImportFile[] = [];
  let total = 0;
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(p)).isDirectory();
    } catch (e) {
      throw new DatasetError('io', `cannot read: ${e instanceof Error ? e.message : String(e)}`, p);
    }
    const list = isDir ? (await readdir(p)).sort().map((f) => join(p, f)) : [p];
    for (const f of list) {
      if (isDir && !(await stat(f)).isFile()) continue;
      const bytes =
        all - total < perFile
          ? await readBytes(f, all - total, `the ${formatBytes(all)} limit for all files of one import`)
          : await readBytes(f, perFile);
      total += bytes.length;
      files.push({ name: f, bytes });
    }
  }
  return importDatasetFiles(files, options);
}
