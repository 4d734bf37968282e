/**
 * The compiled CLI (scripts/build-cli.mjs → build/cli) and the check that decides whether
 * bin/autoclip.mjs may run it (bin/compiledCli.mjs): it must never run code older than the sources.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_DIR, compiledCli, ENTRY_FILE, MANIFEST_FILE, MANIFEST_VERSION, sourceRecord } from '../bin/compiledCli.mjs';
import { tempDirs } from '../src/testing/tempDir';
import { ROOT } from './spawn';

const tempDir = tempDirs('autoclip-build');

/** A fake project: two sources and a build whose manifest lists them. */
function fakeProject(): string {
  const root = tempDir();
  mkdirSync(join(root, 'cli'));
  writeFileSync(join(root, 'cli', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'cli', 'b.ts'), 'export const b = 2;\n');
  mkdirSync(join(root, BUILD_DIR), { recursive: true });
  const manifest = { version: MANIFEST_VERSION, entry: ENTRY_FILE, sources: ['cli/a.ts', 'cli/b.ts'].map((f) => sourceRecord(root, f)) };
  writeFileSync(join(root, BUILD_DIR, MANIFEST_FILE), JSON.stringify(manifest));
  return root;
}

describe('compiledCli: is the build as new as its sources?', () => {
  it('unchanged sources: run the compiled entry', () => {
    const root = fakeProject();
    expect(compiledCli(root)).toEqual({ entry: join(root, BUILD_DIR, ENTRY_FILE) });
  });

  it('an edited source makes the build stale, and the reason names it', () => {
    const root = fakeProject();
    appendFileSync(join(root, 'cli', 'b.ts'), '// edited\n');
    expect(compiledCli(root)).toEqual({ stale: 'cli/b.ts changed since the CLI was compiled' });
  });

  it('an edit that keeps the size and the mtime is still found once the mtime differs (hash)', () => {
    const root = fakeProject();
    writeFileSync(join(root, 'cli', 'a.ts'), 'export const a = 7;\n'); // same length
    expect(compiledCli(root)).toEqual({ stale: 'cli/a.ts changed since the CLI was compiled' });
  });

  it('a new mtime with the same bytes (checkout, copy) is not a change', () => {
    const root = fakeProject();
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'cli', 'a.ts'), later, later);
    expect(compiledCli(root)).toEqual({ entry: join(root, BUILD_DIR, ENTRY_FILE) });
  });

  it('a removed source, a missing build and an unknown manifest are stale', () => {
    const root = fakeProject();
    rmSync(join(root, 'cli', 'a.ts'));
    expect(compiledCli(root)).toEqual({ stale: 'cli/a.ts was removed since the CLI was compiled' });
    expect(compiledCli(tempDir())).toEqual({ stale: 'no compiled CLI (build/cli)' });
    const other = fakeProject();
    writeFileSync(join(other, BUILD_DIR, MANIFEST_FILE), JSON.stringify({ version: 0, sources: [] }));
    expect('stale' in compiledCli(other)).toBe(true);
  });
});

describe('the build of this repository (made by the test setup, cli/buildForTests.ts)', () => {
  interface Meta {
    inputs: Record<string, unknown>;
    outputs: Record<string, { entryPoint?: string; imports: { path: string; kind: string; external?: boolean }[] }>;
  }
  const meta = JSON.parse(readFileSync(join(ROOT, BUILD_DIR, 'meta.json'), 'utf8')) as Meta;

  it('is fresh: every compiled source is listed in the manifest and unchanged', () => {
    expect(compiledCli(ROOT)).toEqual({ entry: join(ROOT, BUILD_DIR, ENTRY_FILE) });
    const manifest = JSON.parse(readFileSync(join(ROOT, BUILD_DIR, MANIFEST_FILE), 'utf8')) as { sources: { file: string }[] };
    const listed = new Set(manifest.sources.map((s) => s.file));
    for (const input of Object.keys(meta.inputs)) expect(listed.has(input), input).toBe(true);
    expect(listed.has('cli/main.ts')).toBe(true);
  });

  it('loads TF.js only in the chunks of the training commands (dynamic imports), never at start-up', () => {
    const entry = Object.keys(meta.outputs).find((o) => meta.outputs[o].entryPoint === 'cli/main.ts')!;
    const atStartup = new Set<string>();
    const packages = new Set<string>();
    const visit = (out: string) => {
      if (atStartup.has(out)) return;
      atStartup.add(out);
      for (const i of meta.outputs[out].imports) {
        if (i.kind !== 'import-statement') continue;
        if (i.external) packages.add(i.path);
        else visit(i.path);
      }
    };
    visit(entry);
    expect([...packages].filter((p) => p.startsWith('@tensorflow'))).toEqual([]);
    const lazy = Object.values(meta.outputs).flatMap((o) => o.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path));
    // A lazily loaded chunk may reach TF.js through a chunk it shares with another lazy one (esbuild splits
    // code that two dynamic imports both use), so follow its static imports.
    const reachesTfjs = (out: string, seen = new Set<string>()): boolean => {
      if (seen.has(out)) return false;
      seen.add(out);
      return (meta.outputs[out]?.imports ?? []).some(
        (i) => i.kind === 'import-statement' && (i.path === '@tensorflow/tfjs' || (!i.external && reachesTfjs(i.path, seen))),
      );
    };
    const tfjsLater = lazy.some((chunk) => reachesTfjs(chunk));
    expect(tfjsLater).toBe(true);
  });
});

describe('bin/autoclip.mjs with a source newer than the build', { timeout: 120_000 }, () => {
  /** A copy of the repository's CLI sources and build (node_modules linked), to edit without touching the real one. */
  function copyOfRepo(): string {
    const root = tempDir();
    for (const d of ['bin', 'cli', 'src', 'scripts', BUILD_DIR]) cpSync(join(ROOT, d), join(root, d), { recursive: true });
    for (const f of ['package.json', 'tsconfig.json']) cpSync(join(ROOT, f), join(root, f));
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
    return root;
  }
  const run = (root: string, ...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(root, 'bin', 'autoclip.mjs'), ...args], { cwd: root, timeout: 90_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code ?? -1) : 0, stdout, stderr }),
      );
    });

  it('runs the edited TypeScript, not the older compiled code, and says so on one line', async () => {
    const root = copyOfRepo();
    const copied = await run(root, 'epsilon', '--help');
    expect(copied).toMatchObject({ code: 0, stderr: '' }); // copied sources, same bytes: the build still counts
    const file = join(root, 'cli', 'commands', 'epsilon.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Privacy spent (ε at δ)', 'EDITED: privacy spent'));
    const edited = await run(root, 'epsilon', '--help');
    expect(edited.code).toBe(0);
    expect(edited.stdout).toMatch(/^EDITED: privacy spent/m);
    expect(edited.stderr).toBe(
      'autoclip: cli/commands/epsilon.ts changed since the CLI was compiled; running the TypeScript sources (slower start; npm run build:cli compiles them)\n',
    );
  });
});
