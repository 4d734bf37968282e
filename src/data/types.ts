/**
 * The in-memory dataset every part of the engine consumes. Rows are examples, stored flat and
 * row-major so a whole set can be uploaded to the GPU in one tensor and batches gathered by index.
 */
export interface Dataset {
  /** Human-readable name, e.g. "Two spirals" or "MNIST (embedded)". */
  readonly name: string;
  /** Features, N × prod(inputShape), row-major, already scaled (e.g. pixels in [0, 1]). */
  readonly x: Float32Array;
  /** Class labels in [0, numClasses). */
  readonly y: Int32Array;
  /** Shape of one example: [d] for tabular / 2D sets, [H, W, C] for images. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  /** Where it came from (generator and parameters, package, file name). */
  readonly source: string;
}

/** A train/test pair as the trainer uses it. N of `train` sets the sampling rate q = B/N. */
export interface DatasetSplit {
  readonly train: Dataset;
  readonly test: Dataset;
}

/** Number of examples in a dataset. */
export function datasetSize(d: Dataset): number {
  return d.y.length;
}
