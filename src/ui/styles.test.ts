import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const UI = dirname(fileURLToPath(import.meta.url));

function stylesheets(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? stylesheets(join(dir, e.name)) : e.name.endsWith('.css') ? [join(dir, e.name)] : [],
  );
}

describe('Greek letters keep their case', () => {
  // text-transform turns σ into Σ (a sum) and ε into Ε (an E): labels are written in the case they are read in.
  it.each(stylesheets(UI).map((f) => [f.slice(UI.length + 1), f]))('%s changes no letter case', (_name, file) => {
    expect(readFileSync(file, 'utf8')).not.toMatch(/text-transform\s*:\s*(uppercase|lowercase|capitalize)/);
  });
});
