/**
 * How much data we agree to hold. Imported features become float32 and are uploaded to the GPU
 * once, so the budget is stated in bytes of float32 features (train + test together).
 *
 * 512 MiB = 134,217,728 float32 values: full MNIST / Fashion-MNIST / KMNIST (70,000 × 784 ≈ 209 MiB)
 * and EMNIST balanced (131,600 × 784 ≈ 394 MiB) fit; all of CIFAR-10 (60,000 × 3,072 ≈ 703 MiB) does
 * not — import the test batch and up to three training batches instead.
 */
import { DatasetError } from './errors';

export const MEMORY_BUDGET_BYTES = 512 * 1024 * 1024;

/** Largest number of classes we accept (label files are bytes; CSV labels can be anything). */
export const MAX_CLASSES = 1000;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** Throws 'too-large' before anything is allocated when `examples × featuresPerExample` float32s exceed the budget. */
export function checkBudget(
  examples: number,
  featuresPerExample: number,
  file: string | undefined,
  budgetBytes: number = MEMORY_BUDGET_BYTES,
): void {
  const bytes = examples * featuresPerExample * 4;
  if (bytes > budgetBytes) {
    throw new DatasetError(
      'too-large',
      `${examples.toLocaleString('en-US')} examples × ${featuresPerExample.toLocaleString('en-US')} features ` +
        `need ${formatBytes(bytes)} as float32, over the ${formatBytes(budgetBytes)} memory budget; import fewer examples`,
      file,
    );
  }
}
