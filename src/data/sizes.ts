import { builtInDataShape, type DataConfig } from '../config/runConfig';
import type { DatasetMeta } from '../domain/dataset';
import { MNIST_TEST_SIZE } from './mnist-build';
import { testRowsOf } from './split';

/** How large a run's data is: what the sample rate q = B/N, the step count and the model's input need. */
export type DatasetSizes = Pick<DatasetMeta, 'trainSize' | 'testSize' | 'inputShape' | 'numClasses'>;

/** Digits in the embedded MNIST asset (the `mnist` package's 10,000; src/data/mnist-build.ts). */
const EMBEDDED_MNIST_ROWS = 10_000;

/**
 * The sizes of the data `data` asks for, before it is loaded: the built-in sets' follow from the
 * config; an imported set's are known once the worker has parsed it (`imported` looks them up by id).
 * Null for an imported set that is not known here.
 */
export function datasetSizes(data: DataConfig, imported?: (id: string) => DatasetSizes | undefined): DatasetSizes | null {
  const shape = builtInDataShape(data);
  switch (data.source) {
    case 'synthetic': {
      const testSize = testRowsOf(data.n, data.testFraction);
      return { trainSize: data.n - testSize, testSize, ...shape! };
    }
    case 'mnist':
      return { trainSize: EMBEDDED_MNIST_ROWS - MNIST_TEST_SIZE, testSize: MNIST_TEST_SIZE, ...shape! };
    case 'imported': {
      const meta = imported?.(data.id);
      return meta
        ? { trainSize: meta.trainSize, testSize: meta.testSize, inputShape: [...meta.inputShape], numClasses: meta.numClasses }
        : null;
    }
  }
}
