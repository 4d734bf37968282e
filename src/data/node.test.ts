import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { closeSync, ftruncateSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { importDatasetPaths } from './node';
import { importDatasetUrls } from './url';
import { encodeIdx } from './idx';
import { gzip } from './gzip';
import { DatasetError } from './errors';
import { createRng } from '../random/rng';
import { tempDir, tempDirs } from '../testing/tempDir';

/** Holds a sparse 700 MiB file (no disk space) for the size check. */
const bigDir = tempDirs('autoclip-big');

const r = createRng(8);
const trainImg = encodeIdx({ type: 'uint8', dims: [6, 28, 28], data: Uint8Array.from({ length: 6 * 784 }, () => r.int(256)) });
const trainLab = encodeIdx({ type: 'uint8', dims: [6], data: Uint8Array.from([0, 1, 2, 3, 4, 9]) });
const testImg = encodeIdx({ type: 'uint8', dims: [2, 28, 28], data: Uint8Array.from({ length: 2 * 784 }, () => r.int(256)) });
const testLab = encodeIdx({ type: 'uint8', dims: [2], data: Uint8Array.from([7, 8]) });

const dir = tempDir('autoclip-data');
let server: Server;
let base: string;
const files: Record<string, Uint8Array> = {};

beforeAll(async () => {
  files['train-images-idx3-ubyte.gz'] = await gzip(trainImg);
  files['train-labels-idx1-ubyte.gz'] = await gzip(trainLab);
  files['t10k-images-idx3-ubyte.gz'] = await gzip(testImg);
  files['t10k-labels-idx1-ubyte.gz'] = await gzip(testLab);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  writeFileSync(join(dir, '.DS_Store'), 'x');
  server = createServer((req, res) => {
    const name = (req.url ?? '').split('/').pop() ?? '';
    if (name === 'slow') return; // never answers
    const body = files[name];
    if (!body) {
      res.writeHead(404).end('missing');
      return;
    }
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fashion/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
});

describe('Node path import', () => {
  it('imports a directory of MNIST-format .gz files', async () => {
    const r = await importDatasetPaths([dir]);
    expect(r.ignored.map((f) => f.split(/[\\/]/).pop())).toEqual(['.DS_Store']);
    expect(Array.from(r.split.train.y)).toEqual([0, 1, 2, 3, 4, 9]);
    expect(Array.from(r.split.test.y)).toEqual([7, 8]);
    expect(Math.round(r.split.test.x[5] * 255)).toBe(testImg[16 + 5]);
  });
  it('refuses a 700 MiB CSV by its size, naming the limit, without reading it (it was "not UTF-8")', async () => {
    const p = join(bigDir(), 'huge.csv');
    const fd = openSync(p, 'w');
    ftruncateSync(fd, 700 * 2 ** 20);
    closeSync(fd);
    const e = await importDatasetPaths([p]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DatasetError);
    expect((e as DatasetError).message).toBe(`${p}: 700.0 MiB is over the 512.0 MiB limit for one file`);
    const dev = await importDatasetPaths(['/dev/zero']).catch((x: unknown) => x);
    expect((dev as DatasetError).message).toBe('/dev/zero: cannot read: it is a character device, not a regular file');
    rmSync(p);
  });
  it('reports a missing path as an io error naming it', async () => {
    const e = await importDatasetPaths([join(dir, 'nope')]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DatasetError);
    expect((e as DatasetError).code).toBe('io');
    expect((e as DatasetError).message).toContain('nope');
  });
});

describe('URL import against a local server', () => {
  it('downloads and imports the four files', async () => {
    const r = await importDatasetUrls(Object.keys(files).map((f) => base + f));
    expect(r.split.train.y.length).toBe(6);
    expect(r.split.test.numClasses).toBe(10);
  });
  it('fails clearly on 404, size limits and timeouts', async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: unknown) => (e instanceof DatasetError ? `${e.code}: ${e.message}` : `crash: ${String(e)}`),
      );
    expect(await code(importDatasetUrls([`${base}missing.gz`]))).toMatch(/^io: .*missing\.gz: HTTP 404/);
    expect(await code(importDatasetUrls([`${base}train-images-idx3-ubyte.gz`], { budgetBytes: 100 }))).toMatch(/^too-large/);
    expect(await code(importDatasetUrls([`${base}slow`], { timeoutMs: 200 }))).toMatch(/^io: .*within 0.2 s/);
  });
});
