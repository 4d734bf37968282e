/**
 * Vitest global setup: the CLI tests spawn bin/autoclip.mjs, which runs the compiled CLI (build/cli)
 * only while it matches the sources. Compile it once before the tests when it does not, so they test
 * what users run (cli/compiledCli.test.ts covers the fallback to the TypeScript sources).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compiledCli } from '../bin/compiledCli.mjs';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if ('stale' in compiledCli(root)) execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root });
}
