#!/usr/bin/env node
// `autoclip` CLI shim: runs the TypeScript entry (cli/main.ts) through tsx's ESM loader.
import { register } from 'tsx/esm/api';

register();
globalThis.__AUTOCLIP_BIN__ = true;
await import('../cli/main.ts');
