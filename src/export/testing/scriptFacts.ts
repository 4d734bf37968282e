/**
 * Test helper: what Python's own parser sees in generated scripts (./inspect_script.py), and a way to
 * run small Python checks. PyTorch is not needed (nothing generated is executed here); python3 is,
 * and tests that need it skip, saying why, when it is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../testing/tempDir';

/** Strings that have broken code generators: quotes of every kind, escapes, line breaks, non-ASCII. */
export const HOSTILE_STRINGS: readonly string[] = [
  `iris"""; __import__('os').system('echo INJECTED > pwned.txt'); """.csv`,
  "iris'''; __import__('os').system('echo INJECTED > pwned.txt'); '''.csv",
  'a"b',
  "a'b",
  '"',
  '"""',
  "'''",
  'ends with a backslash \\',
  '\\"; import os #',
  '\\x41\\u0042\\N{DIGIT ONE}',
  'two\nlines',
  'carriage\rreturn',
  'line\u2028separator and paragraph\u2029separator',
  'tab\there, nul\u0000, bell\u0007, del\u007f, c1\u0085',
  'Ünïcödé — 中文 — עברית',
  'astral 🙂 𝔘',
  'lone surrogate \ud800 here',
  '{x}{{}} %s f-string bait',
  '',
  ' ',
];

export interface ScriptCall {
  /** Enclosing function ('<module>' at the top level). */
  in: string;
  line: number;
  func: string;
  args: string[];
  kwargs: Record<string, string>;
}

export interface ScriptFacts {
  constants: Record<string, unknown>;
  strings: string[];
  docstrings: string[];
  calls: ScriptCall[];
  names: string[];
  attributes: string[];
  /** Function name → its source as ast.unparse prints it (comments dropped, layout normalised). */
  functions: Record<string, string>;
}

function probe(args: string[]): boolean {
  const r = spawnSync('python3', args, { stdio: 'ignore' });
  return r.status === 0;
}

/** Why Python checks cannot run here, or null when they can. */
export const PYTHON_MISSING: string | null = probe(['--version']) ? null : 'python3 is not on PATH';
/** Why numpy checks cannot run here, or null when they can. */
export const NUMPY_MISSING: string | null = PYTHON_MISSING ?? (probe(['-c', 'import numpy']) ? null : 'numpy is not installed for python3');

const INSPECT = fileURLToPath(new URL('./inspect_script.py', import.meta.url));
const dir = tempDir('autoclip-script');
let written = 0;

/** Writes `text` to a fresh temporary file and returns its path. */
export function tempFile(text: string | Uint8Array, ext = '.py'): string {
  const path = join(dir, `f${written++}${ext}`);
  writeFileSync(path, text);
  return path;
}

/** A new empty temporary directory. */
export function freshDir(): string {
  return mkdtempSync(join(dir, 'd'));
}

/** Parses the scripts with Python's ast (one process for all); throws on a syntax error. */
export function scriptFacts(scripts: readonly string[]): ScriptFacts[] {
  const files = scripts.map((s) => tempFile(s));
  try {
    return JSON.parse(execFileSync('python3', [INSPECT, ...files], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as ScriptFacts[];
  } catch (e) {
    throw new Error(`inspect_script.py failed:\n${String((e as { stderr?: Buffer }).stderr ?? e).slice(0, 3000)}`, { cause: e });
  }
}

/** Runs a Python program with `args` and parses its stdout as JSON. */
export function runPython<T>(program: string, args: readonly string[] = []): T {
  try {
    return JSON.parse(execFileSync('python3', ['-c', program, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as T;
  } catch (e) {
    throw new Error(`python3 failed:\n${String((e as { stderr?: Buffer }).stderr ?? e).slice(0, 3000)}`, { cause: e });
  }
}
