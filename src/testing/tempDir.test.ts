/**
 * Test runs left hundreds of folders in the system's temporary folder (autoclip-train-*, -export-*,
 * -script-*, -budget-*, -bad-*): tests made them with mkdtempSync and never removed them. Every
 * test folder now comes from tempDirs, which removes its folders after the file's tests.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from './tempDir';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FOLDERS = ['src', 'cli', 'workers', 'e2e', 'bench', 'scripts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(p);
    return /\.(ts|tsx|mjs|js)$/.test(e.name) ? [p] : [];
  });
}

// Registered before tempDirs' own hook, so (after-hooks run in reverse order) it runs after the removal.
const made: string[] = [];
afterAll(() => {
  for (const dir of made) expect(existsSync(dir), `${dir} outlived its test file`).toBe(false);
});
const newDir = tempDirs('autoclip-tempdir-check');

describe('test folders are removed after their test file', () => {
  it('tempDirs makes fresh empty folders, even inside a test; a file written in one goes with it', () => {
    const [a, b] = [newDir(), newDir()];
    made.push(a, b);
    expect(a).not.toBe(b);
    expect(readdirSync(a)).toEqual([]);
    writeFileSync(join(a, 'x.json'), '{}');
    expect(existsSync(join(a, 'x.json'))).toBe(true);
  });

  it('tempDirs refuses to be set up inside a test (its removal could not be registered)', () => {
    expect(() => tempDirs('autoclip-too-late')).toThrow(/called inside the test .*: call it at the top of the file/);
  });

  it('no other source or test file makes folders in the system temporary folder', () => {
    const self = fileURLToPath(import.meta.url);
    const helper = join(dirname(self), 'tempDir.ts');
    const offenders = FOLDERS.flatMap((f) => sourceFiles(join(ROOT, f)))
      .filter((file) => file !== helper && file !== self && /\btmpdir\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
