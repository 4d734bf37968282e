// Where the compiled CLI lives and whether it may run: the build (scripts/build-cli.mjs) writes
// build/cli/manifest.json listing every source file it compiled with its size, mtime and SHA-256.
// The compiled CLI runs only while every one of those files is unchanged; otherwise bin/autoclip.mjs
// falls back to the TypeScript sources, so an edit to cli/*.ts or src/**/*.ts is never hidden by an
// older build. Plain JavaScript: this runs before anything can compile TypeScript.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The build folder, relative to the repository root (git-ignored). */
export const BUILD_DIR = join('build', 'cli');
/** The compiled entry inside BUILD_DIR. */
export const ENTRY_FILE = 'autoclip.mjs';
export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_VERSION = 1;

/** The SHA-256 of a file's bytes, hex. */
export function fileHash(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** What the manifest records of one source file (path relative to the root, '/'-separated). */
export function sourceRecord(root, file) {
  const st = statSync(join(root, file));
  return { file, size: st.size, mtimeMs: st.mtimeMs, sha256: fileHash(join(root, file)) };
}

/**
 * Whether the compiled CLI under `root` matches its sources. Cheap when nothing changed: one stat per
 * source (size and mtime). A file whose mtime moved but whose bytes did not (a checkout, a copy) is
 * hashed and still counts as unchanged.
 *
 * @param {string} root the repository root
 * @returns {{ entry: string } | { stale: string }} the compiled entry to import, or why not
 */
export function compiledCli(root) {
  const dir = join(root, BUILD_DIR);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
  } catch {
    return { stale: 'no compiled CLI (build/cli)' };
  }
  if (manifest?.version !== MANIFEST_VERSION || !Array.isArray(manifest.sources) || manifest.sources.length === 0) {
    return { stale: 'the compiled CLI has an unknown manifest format' };
  }
  for (const s of manifest.sources) {
    const path = join(root, s.file);
    let st;
    try {
      st = statSync(path);
    } catch {
      return { stale: `${s.file} was removed since the CLI was compiled` };
    }
    if (st.size === s.size && st.mtimeMs === s.mtimeMs) continue;
    if (st.size !== s.size || fileHash(path) !== s.sha256) return { stale: `${s.file} changed since the CLI was compiled` };
  }
  return { entry: join(dir, ENTRY_FILE) };
}
