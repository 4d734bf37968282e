import { expect, test } from '@playwright/test';
import { openPlayground } from './openPlayground';

/** A Fashion-MNIST-shaped IDX pair (28×28 uint8 images, labels 0..9), as the real files are laid out. */
function idxPair(n: number): { images: Buffer; labels: Buffer } {
  const images = Buffer.alloc(16 + n * 784);
  images.writeUInt32BE(0x00000803, 0);
  images.writeUInt32BE(n, 4);
  images.writeUInt32BE(28, 8);
  images.writeUInt32BE(28, 12);
  for (let i = 0; i < n * 784; i++) images[16 + i] = (i * 37 + (i >> 5)) & 0xff;
  const labels = Buffer.alloc(8 + n);
  labels.writeUInt32BE(0x00000801, 0);
  labels.writeUInt32BE(n, 4);
  for (let i = 0; i < n; i++) labels[8 + i] = i % 10;
  return { images, labels };
}

test('importing an IDX pair makes it the dataset; a corrupted file shows the error and keeps it', async ({ page }) => {
  await openPlayground(page);
  const { images, labels } = idxPair(300);
  await page.getByTestId('import-input').setInputFiles([
    { name: 'train-images-idx3-ubyte', mimeType: 'application/octet-stream', buffer: images },
    { name: 'train-labels-idx1-ubyte', mimeType: 'application/octet-stream', buffer: labels },
  ]);
  await expect(page.getByTestId('imported-meta')).toContainText('IDX');
  await expect(page.getByTestId('imported-meta')).toContainText('[28×28×1]');
  await expect(page.getByTestId('imported-meta')).toContainText('10 classes');
  const selected = await page.getByLabel('Dataset').inputValue();
  expect(selected).toMatch(/^imported:/);

  // Bad magic number in the images file (IDX starts with two zero bytes): a specific error, and the
  // imported set stays selected.
  const broken = Buffer.from(images);
  broken[0] = 0x12;
  await page.getByTestId('import-input').setInputFiles([
    { name: 'train-images-idx3-ubyte', mimeType: 'application/octet-stream', buffer: broken },
    { name: 'train-labels-idx1-ubyte', mimeType: 'application/octet-stream', buffer: labels },
  ]);
  await expect(page.getByTestId('import-error')).toContainText(/magic/i);
  await expect(page.getByLabel('Dataset')).toHaveValue(selected);
  await expect(page.getByTestId('imported-meta')).toContainText('IDX');

  // The imported set trains: a couple of steps of the MLP on it.
  await page.getByLabel('Private training (DP-SGD)').uncheck();
  await page.getByTestId('batch-size').fill('32');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('run-summary')).toContainText('240/60');
  await expect(page.getByTestId('last-loss')).not.toHaveText('—');
});

test('a CSV import names the label column it used (x, y, label: label, not y)', async ({ page }) => {
  await openPlayground(page);
  const rows = Array.from({ length: 40 }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5},${i % 2}`).join('\n');
  await page
    .getByTestId('import-input')
    .setInputFiles([{ name: 'points.csv', mimeType: 'text/csv', buffer: Buffer.from(`x,y,label\n${rows}\n`) }]);
  await expect(page.getByTestId('imported-meta')).toContainText('[2]');
  await expect(page.getByTestId('imported-meta')).toContainText("Label column: 'label' (column 3 of 3, chosen by its name).");
});

test('a file larger than an import accepts is refused by its size, before the page reads it', async ({ page }) => {
  // A tiny file that reports 5 GiB: the page must refuse it without reading it (reads are counted).
  await page.addInitScript(() => {
    const size = Object.getOwnPropertyDescriptor(Blob.prototype, 'size')!;
    Object.defineProperty(Blob.prototype, 'size', {
      get(this: Blob) {
        return this instanceof File && this.name === 'huge.csv' ? 5 * 2 ** 30 : size.get!.call(this);
      },
    });
    const w = window as unknown as { fileReads: number };
    w.fileReads = 0;
    const arrayBuffer = Blob.prototype.arrayBuffer;
    Blob.prototype.arrayBuffer = function (this: Blob) {
      w.fileReads++;
      return arrayBuffer.call(this);
    };
  });
  await page.goto('/');
  await page
    .getByTestId('import-input')
    .setInputFiles([{ name: 'huge.csv', mimeType: 'text/csv', buffer: Buffer.from('a,label\n1,0\n2,1\n') }]);
  await expect(page.getByTestId('import-error')).toHaveText('huge.csv: 5.00 GiB is over the 512.0 MiB limit for one file');
  expect(await page.evaluate(() => (window as unknown as { fileReads: number }).fileReads)).toBe(0);
});
