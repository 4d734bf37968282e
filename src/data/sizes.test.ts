import { describe, expect, it } from 'vitest';
import { SYNTHETIC_SETS, type DataConfig } from '../config/runConfig';
import { datasetMeta, loadSplit } from '../engine/datasets';
import { readMnistSplit } from './node';
import { datasetSizes } from './sizes';

/** The reference is the split itself: load the data the config asks for and count. */
const loaded = async (data: DataConfig) => {
  const { trainSize, testSize, inputShape, numClasses } = datasetMeta(await loadSplit(data, 7, { mnist: readMnistSplit }));
  return { trainSize, testSize, inputShape, numClasses };
};

describe('datasetSizes: the sizes of a run’s data before it is loaded', () => {
  it('synthetic sets: as the seeded split cuts them, for awkward n and test fractions', async () => {
    const cases: [number, number][] = [
      [20, 0.01],
      [20, 0.99],
      [21, 0.5],
      [600, 0.25],
      [601, 0.3333],
      [999, 0.1],
    ];
    for (const [n, testFraction] of cases) {
      const data: DataConfig = { source: 'synthetic', name: SYNTHETIC_SETS[0], n, noise: 0.05, testFraction };
      expect(datasetSizes(data), `n=${n} testFraction=${testFraction}`).toEqual(await loaded(data));
    }
  });

  it('the embedded MNIST: as the asset holds it', async () => {
    expect(datasetSizes({ source: 'mnist' })).toEqual(await loaded({ source: 'mnist' }));
  });

  it('an imported set: known only once its metadata is', () => {
    const data: DataConfig = { source: 'imported', id: 'import-1', name: 'iris.csv' };
    expect(datasetSizes(data)).toBeNull();
    expect(datasetSizes(data, () => undefined)).toBeNull();
    const meta = { trainSize: 120, testSize: 30, inputShape: [4], numClasses: 3 };
    expect(datasetSizes(data, (id) => (id === 'import-1' ? meta : undefined))).toEqual(meta);
  });
});
