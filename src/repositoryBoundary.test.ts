/**
 * Tests read files outside the repository: code and tests must use only what a clone contains. Every
 * relative import and every `new URL('…', import.meta.url)` in the source folders must resolve
 * inside the repository root.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['src', 'cli', 'workers', 'e2e', 'bench', 'scripts'];
const SOURCE = /\.(ts|tsx|mjs|js)$/;
// from '…', import('…'), import '…', new URL('…', import.meta.url)
const REFERENCES = [
  /\bfrom\s+['"](\.[^'"]*)['"]/g,
  /\bimport\s*\(\s*['"](\.[^'"]*)['"]/g,
  /\bimport\s+['"](\.[^'"]*)['"]/g,
  /new URL\(\s*['"](\.[^'"]*)['"]\s*,\s*import\.meta\.url/g,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(p);
    return SOURCE.test(e.name) ? [p] : [];
  });
}

/** Relative paths in `text` (a file at `file`) that resolve outside the repository. */
export function referencesOutside(file: string, text: string): string[] {
  const out: string[] = [];
  for (const re of REFERENCES) {
    for (const m of text.matchAll(re)) {
      const target = relative(ROOT, resolve(dirname(file), m[1]));
      if (target.startsWith('..')) out.push(`${relative(ROOT, file)}: '${m[1]}'`);
    }
  }
  return out;
}

describe('tests read files outside the repository', () => {
  it('the check itself catches an import and a URL that leave the repository', () => {
    const file = join(ROOT, 'src', 'privacy', 'testing', 'reference.ts');
    const outside = ['..', '..', '..', '..', 'shared', 'accountants.json'].join('/'); // built, so this file does not match itself
    expect(referencesOutside(file, `import x from '${outside}' with { type: 'json' };`)).toHaveLength(1);
    expect(referencesOutside(file, `const p = new URL('${outside}', import.meta.url);`)).toHaveLength(1);
    expect(referencesOutside(file, "import x from './accountants.reference.json';")).toEqual([]);
  });

  it('no source or test file imports or opens a path outside the repository', () => {
    const offenders = FOLDERS.flatMap((f) => sourceFiles(join(ROOT, f))).flatMap((file) =>
      referencesOutside(file, readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
