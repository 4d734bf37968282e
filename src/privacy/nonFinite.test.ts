/**
 * Every numeric routine stops on non-finite values: each entry point of src/privacy, given NaN, ±∞ or
 * huge inputs, throws an error naming the problem or returns its documented limit (the table is in
 * testing/nonFiniteCases.ts). The cases run in a child process with a deadline: a routine that loops
 * fails here, naming itself, instead of hanging the suite.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { mismatch, NON_FINITE_CASES, type Outcome } from './testing/nonFiniteCases';

const RUNNER = fileURLToPath(new URL('./testing/runNonFiniteCases.ts', import.meta.url));
/** A hang guard, not a timing assertion: the whole table takes about a second of CPU. */
const DEADLINE_MS = 120_000;

const outcomes = new Map<string, Outcome>();
let stopped: string | null = null;

beforeAll(async () => {
  const stdout = await new Promise<string>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', RUNNER], { timeout: DEADLINE_MS, maxBuffer: 1 << 24 }, (_err, out) => resolve(out));
  });
  let running: string | null = null;
  for (const line of stdout.split('\n').filter(Boolean)) {
    const msg = JSON.parse(line) as { start: string } | Outcome;
    if ('start' in msg) running = msg.start;
    else {
      outcomes.set(msg.name, msg);
      running = null;
    }
  }
  stopped = running;
}, DEADLINE_MS + 10_000);

describe('every numeric routine stops on non-finite values', () => {
  it.each(NON_FINITE_CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const o = outcomes.get(name);
    if (!o) throw new Error(stopped ? `did not finish: the run was stopped within '${stopped}'` : 'the case did not run');
    expect(mismatch(c.expect, o)).toBeNull();
  });
});
