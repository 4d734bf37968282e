/**
 * How much data we agree to hold. Imported features become float32 and are uploaded to the GPU
 * once, so the budget is stated in bytes of float32 features (train + test together).
 *
 * 512 MiB = 134,217,728 float32 values: full MNIST / Fashion-MNIST / KMNIST (70,000 × 784 ≈ 209 MiB)
 * and EMNIST balanced (131,600 × 784 ≈ 394 MiB) fit; all of CIFAR-10 (60,000 × 3,072 ≈ 703 MiB) does
 * not — import the test batch and up to three training batches instead.
 *
 * Every importer checks these limits while it reads (row by row, chunk by chunk), so a file over
 * them fails after reading about as much as the limit allows, never after holding all of it.
 */
import { DatasetError } from './errors';

export const MEMORY_BUDGET_BYTES = 512 * 1024 * 1024;

/** Largest number of classes we accept (label files are bytes; CSV labels can be anything). */
export const MAX_CLASSES = 1000;

/**
 * Most examples (train + test) one import may hold, whatever their width. Each example also costs a
 * label, a place in the split's permutation and copies during splitting and standardisation, so a
 * narrow table of tens of millions of rows outgrows memory long before its features reach the budget,
 * and parsing it keeps the worker busy for a long time.
 * The largest sets people train on here (EMNIST byclass, 814,255; SUSY, 5,000,000 rows) fit.
 */
export const MAX_EXAMPLES = 5_000_000;

/** Widest CSV row we read (a 512 × 512 grayscale image as one row); wider rows are refused while read. */
export const MAX_CSV_COLUMNS = 262_144;

/** Longest CSV cell (a number, a class name or a column name); a longer one is a broken file. */
export const MAX_CSV_CELL_CHARS = 65_536;

/** CSV text one file may hold: the budget itself (a table takes at least 2 text bytes per value and 4 as float32). */
export function csvTextLimit(budgetBytes: number): number {
  return budgetBytes;
}

/** Bytes the binary files (IDX, CIFAR-10) of one import may hold together once decompressed: uint8 become float32, plus headers. */
export function binaryBytesLimit(budgetBytes: number): number {
  return Math.floor(budgetBytes / 4) + 1024 * 1024;
}

/** No file an import accepts is larger than this as given (before decompression): the CSV text limit is the largest. */
export function fileBytesLimit(budgetBytes: number): number {
  return Math.max(csvTextLimit(budgetBytes), binaryBytesLimit(budgetBytes));
}

/** The files of one import together, as given: a CSV train table and a CSV test table at most. */
export function importBytesLimit(budgetBytes: number): number {
  return 2 * fileBytesLimit(budgetBytes);
}

/**
 * Refuses files by their sizes alone, before they are read: the page checks File.size before it
 * reads a chosen file into memory (a 5 GB file must not take the tab down first).
 */
export function checkImportSizes(
  files: readonly { readonly name: string; readonly size: number }[],
  budgetBytes: number = MEMORY_BUDGET_BYTES,
): void {
  const perFile = fileBytesLimit(budgetBytes);
  const big = files.find((f) => f.size > perFile);
  if (big) throw new DatasetError('too-large', `${formatBytes(big.size)} is over the ${formatBytes(perFile)} limit for one file`, big.name);
  const total = files.reduce((a, f) => a + f.size, 0);
  const all = importBytesLimit(budgetBytes);
  if (total > all) {
    throw new DatasetError(
      'too-large',
      `${formatBytes(total)} in ${files.length} files is over the ${formatBytes(all)} limit for one import`,
    );
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Throws 'too-large' before anything is allocated when `examples` exceed MAX_EXAMPLES or
 * `examples × featuresPerExample` float32s exceed the budget. `atLeast`: the count is a lower bound
 * (a file read row by row stopped there), so the message says "more than".
 */
export function checkBudget(
  examples: number,
  featuresPerExample: number,
  file: string | undefined,
  budgetBytes: number = MEMORY_BUDGET_BYTES,
  atLeast = false,
): void {
  const n = atLeast ? `more than ${count(examples - 1)}` : count(examples);
  if (examples > MAX_EXAMPLES) {
    throw new DatasetError(
      'too-large',
      `${n} examples, over the limit of ${count(MAX_EXAMPLES)} examples for one import; import fewer examples`,
      file,
    );
  }
  const bytes = examples * featuresPerExample * 4;
  if (bytes > budgetBytes) {
    const need = atLeast ? ':' : ` need ${formatBytes(bytes)} as float32,`;
    throw new DatasetError(
      'too-large',
      `${n} examples × ${count(featuresPerExample)} features${need} over the ${formatBytes(budgetBytes)} memory budget` +
        `${atLeast ? ' as float32' : ''}; import fewer examples`,
      file,
    );
  }
}
