/**
 * The data layer's browser-safe public surface (UI, worker, engine). Node-only helpers live in
 * ./node.ts and are imported from there directly.
 */
export type { Dataset, DatasetSplit } from './types';
export { datasetSize } from './types';
export { DatasetError, isDatasetError, toDatasetErrorInfo, type DatasetErrorCode, type DatasetErrorInfo } from './errors';
export { MEMORY_BUDGET_BYTES, MAX_CLASSES, formatBytes } from './limits';
export { createRng, permutation, type Rng } from '../random/rng';
export { makeSynthetic, decisionGrid, SYNTHETIC_NAMES, MAX_SYNTHETIC_POINTS, type SyntheticName, type SyntheticOptions } from './synthetic';
export { splitDataset, splitIndices, subsetDataset } from './split';
export { standardizeSplit, featureStats, applyStandardization, type FeatureStats } from './standardize';
export { datasetInfo, splitInfo, validateDataset, type DatasetInfo } from './info';
export { importDatasetFiles, type ImportFile, type ImportOptions, type ImportResult, type ImportFormat } from './import';
export { MNIST_ASSET_FILE, parseMnistAsset, parseMnistSplit, mnistAssetUrl } from './mnist';
export { fetchMnistAsset, fetchMnistSplit, loadEmbeddedMnist, type FetchMnistOptions } from './mnistBrowser';
export type { ImageAsset } from './asset';
export { importDatasetUrls, fetchBytes, type UrlImportOptions } from './url';
