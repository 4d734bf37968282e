#!/usr/bin/env node
// Compiles the `autoclip` CLI (cli/main.ts and everything it imports from cli/ and src/) to JavaScript
// in build/cli (git-ignored), so `npx autoclip` starts without compiling TypeScript. Run by
// `npm run build:cli`, `npm run build` and `prepare` (so `npm install` / `npm ci` build it). The
// TypeScript sources stay the truth: build/cli/manifest.json lists every compiled source with its
// hash, and bin/autoclip.mjs runs the TypeScript through tsx whenever one has changed.
//
// npm packages are bundled (one file parses faster than many) except TF.js, which stays an import
// of the chunks that the train and sweep commands load on demand (dynamic imports, split by esbuild).
import { build } from 'esbuild';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_DIR, ENTRY_FILE, MANIFEST_FILE, MANIFEST_VERSION, sourceRecord } from '../bin/compiledCli.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, BUILD_DIR);
const tmpDir = `${outDir}.tmp-${process.pid}`;
const started = Date.now();

/**
 * zod's namespace re-exports its ~40 message locales (`z.locales`), which this project never uses:
 * zod formats messages with English, `config(en())` at load. Compiling them doubled the CLI's
 * start-up, so only the English one is bundled.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: dirname(args.path),
    }));
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: { [ENTRY_FILE.replace(/\.mjs$/, '')]: 'cli/main.ts' },
  outdir: tmpDir,
  outExtension: { '.js': '.mjs' },
  // Chunks sit beside the entry: build/cli is two folders below the root like src/<module>/, so
  // files that src/data/node.ts finds relative to its own URL (two folders up, then public/) are still found.
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@tensorflow/*'],
  minify: true,
  keepNames: true,
  sourcemap: 'linked',
  metafile: true,
  plugins: [zodEnglishOnly],
  logLevel: 'warning',
});

const toPosix = (p) => p.split(sep).join('/');
for (const out of Object.keys(result.metafile.outputs)) {
  if (dirname(join(root, out)) !== tmpDir) throw new Error(`build-cli: ${out} is not directly inside ${tmpDir}`);
}
// Everything esbuild read, plus what shapes the output without being imported.
const sources = [...Object.keys(result.metafile.inputs), 'tsconfig.json', 'scripts/build-cli.mjs']
  .map((f) => toPosix(relative(root, join(root, f))))
  .sort();
const manifest = { version: MANIFEST_VERSION, entry: ENTRY_FILE, sources: sources.map((f) => sourceRecord(root, f)) };
writeFileSync(join(tmpDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
// esbuild's metafile (what each output imports, statically or on demand), with the final folder's paths.
const tmpRel = `${toPosix(relative(root, tmpDir))}/`;
writeFileSync(join(tmpDir, 'meta.json'), JSON.stringify(result.metafile).replaceAll(tmpRel, `${toPosix(BUILD_DIR)}/`));

// Swap the new build in whole, so a CLI starting meanwhile sees the old build, none, or the new one.
const oldDir = `${outDir}.old-${process.pid}`;
if (existsSync(outDir)) renameSync(outDir, oldDir);
renameSync(tmpDir, outDir);
rmSync(oldDir, { recursive: true, force: true });
console.log(`build-cli: compiled ${sources.length} sources to ${toPosix(relative(root, outDir))} in ${Date.now() - started} ms`);
