/**
 * Test helper: fresh folders in the system's temporary folder, removed with everything in them when
 * the test file's tests end, so a test run leaves nothing behind. Call it while the tests are
 * collected (at the top of a test file or of a helper the file imports): the removal is an afterAll
 * hook of that file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';

/** A maker of new empty folders named `<prefix>-` plus six random characters (mkdtemp) (call it in tests too), all removed after the file's tests. */
export function tempDirs(prefix: string): () => string {
  // Inside a running test the hook would not be registered for the file: refuse rather than leak.
  const test = expect.getState().currentTestName;
  if (test !== undefined) throw new Error(`tempDirs('${prefix}') called inside the test "${test}": call it at the top of the file`);
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    made.push(dir);
    return dir;
  };
}

/** One new empty folder named `<prefix>-` plus six random characters, removed after the file's tests. */
export function tempDir(prefix: string): string {
  return tempDirs(prefix)();
}
