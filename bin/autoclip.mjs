#!/usr/bin/env node
// `autoclip` CLI: runs the compiled CLI (build/cli, made by `npm run build:cli` and on `npm install`)
// when it matches the TypeScript sources, and otherwise the sources themselves (cli/main.ts) through
// tsx, with a one-line note on stderr. See bin/compiledCli.mjs.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledCli } from './compiledCli.mjs';

globalThis.__AUTOCLIP_BIN__ = true;
const compiled = compiledCli(fileURLToPath(new URL('..', import.meta.url)));
if ('entry' in compiled) {
  await import(pathToFileURL(compiled.entry).href);
} else {
  process.stderr.write(`autoclip: ${compiled.stale}; running the TypeScript sources (slower start; npm run build:cli compiles them)\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
