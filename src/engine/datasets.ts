import type { DataConfig } from '../config/runConfig';
import { splitDataset } from '../data/split';
import { makeSynthetic } from '../data/synthetic';
import type { DatasetSplit } from '../data/types';
import type { DatasetMeta } from '../domain/dataset';

/**
 * Where real datasets come from differs by environment (fetch in the browser, the file system in
 * Node); the engine asks through this interface and stays environment-agnostic.
 */
export interface DataProvider {
  /** The embedded MNIST train/test split. */
  mnist(): Promise<DatasetSplit>;
  /** A dataset imported earlier in this session, by id. */
  imported?(id: string): DatasetSplit | undefined;
}

/** Builds (or loads) the train/test split a run config asks for. The run's seed makes it reproducible. */
export async function loadSplit(data: DataConfig, seed: number, provider: DataProvider): Promise<DatasetSplit> {
  switch (data.source) {
    case 'synthetic': {
      const all = makeSynthetic({ name: data.name, n: data.n, noise: data.noise, seed });
      return splitDataset(all, data.testFraction, seed + 1);
    }
    case 'mnist':
      return provider.mnist();
    case 'imported': {
      const split = provider.imported?.(data.id);
      if (!split) throw new Error(`The imported dataset "${data.name}" is not loaded in this session; import its files again.`);
      return split;
    }
  }
}

/** What the app shows and stores of a loaded split. */
export function datasetMeta({ train, test }: DatasetSplit): DatasetMeta {
  return {
    name: train.name,
    source: train.source,
    trainSize: train.y.length,
    testSize: test.y.length,
    inputShape: [...train.inputShape],
    numClasses: train.numClasses,
  };
}
