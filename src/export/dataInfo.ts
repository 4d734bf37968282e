import type { DataConfig } from '../config/runConfig';
import { datasetSizes } from '../data/sizes';
import { ExportError } from './exportError';

/** Where the script's examples come from: the source (torchvision, numpy) or the playground's own, in an .npz. */
export const EXPORT_DATASETS = ['source', 'playground'] as const;
export type ExportDataset = (typeof EXPORT_DATASETS)[number];

/** What the script needs to know about the data beyond the config. */
export interface ExportDataInfo {
  trainSize: number;
  testSize: number;
  /** One example: [d] or [H, W, C]. */
  inputShape: readonly number[];
  numClasses: number;
}

/** Sizes of the embedded MNIST set (src/data/sizes.ts). */
export const EMBEDDED_MNIST: ExportDataInfo = datasetSizes({ source: 'mnist' })!;
/** Sizes of torchvision's MNIST, which a script trains on by default. */
export const TORCHVISION_MNIST: ExportDataInfo = { trainSize: 60000, testSize: 10000, inputShape: [28, 28, 1], numClasses: 10 };

/** Data sizes for the sources the script can load itself; null for an imported set (the caller knows them). */
export function exportDataInfo(data: DataConfig, dataset: ExportDataset = 'source'): ExportDataInfo | null {
  switch (data.source) {
    case 'synthetic':
      return datasetSizes(data);
    case 'mnist':
      return dataset === 'playground' ? EMBEDDED_MNIST : TORCHVISION_MNIST;
    case 'imported':
      return null;
  }
}

/** Sizes from the caller (an imported set's metadata) are checked like config fields. */
export function checkDataInfo(info: ExportDataInfo): ExportDataInfo {
  const positive = (x: unknown, field: string, min = 1) => {
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < min)
      throw new ExportError(`data ${field} must be an integer ≥ ${min}, got ${String(x)}`);
    return x;
  };
  const shape = info.inputShape;
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > 3)
    throw new ExportError(`data inputShape must be [d] or [H, W, C], got ${JSON.stringify(shape)}`);
  return {
    trainSize: positive(info.trainSize, 'trainSize'),
    testSize: positive(info.testSize, 'testSize'),
    inputShape: shape.map((d, i) => positive(d, `inputShape[${i}]`)),
    numClasses: positive(info.numClasses, 'numClasses', 2),
  };
}
