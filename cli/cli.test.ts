/**
 * End-to-end tests of the `autoclip` CLI: every case spawns the real executable
 * (node bin/autoclip.mjs …) and checks exit code, stdout and stderr.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { refEpsilon, reference } from '../src/privacy/testing/reference';
import { autoclip as run, BIN, ROOT } from './spawn';

const mnist = refEpsilon('mnist-tfp');
const base = [
  '--sample-rate',
  String(mnist.q),
  '--noise-multiplier',
  String(mnist.sigma),
  '--steps',
  String(mnist.steps),
  '--delta',
  String(mnist.delta),
];

/** δ = 0.01 with N = 1,000: δ ≥ 1/N, which prints a warning on stderr. */
const deltaAboveOneOverN = [
  'epsilon',
  '--dataset-size',
  '1000',
  '--batch-size',
  '10',
  '--steps',
  '100',
  '--noise-multiplier',
  '1',
  '--delta',
  '0.01',
];

// Spawns run concurrently; on a loaded 2-core machine one can take half a minute (a hang guard, not a timing).
describe.concurrent('autoclip CLI', { timeout: 150_000 }, () => {
  it('top-level and per-command --help exit 0', async () => {
    const [top, eps, sig] = await Promise.all([run('--help'), run('epsilon', '--help'), run('sigma', '-h')]);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/epsilon/);
    expect(top.stdout).toMatch(/sigma/);
    expect(eps.code).toBe(0);
    expect(eps.stdout).toMatch(/--noise-multiplier/);
    expect(sig.code).toBe(0);
    expect(sig.stdout).toMatch(/--target-epsilon/);
  });

  it('epsilon --json for each accountant matches the reference', async () => {
    const [rdp, prv, gdp] = await Promise.all([
      run('epsilon', ...base, '--json'),
      run('epsilon', ...base, '--accountant', 'prv', '--json'),
      run('epsilon', ...base, '--accountant', 'gdp', '--json'),
    ]);
    for (const r of [rdp, prv, gdp]) expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(rdp.stdout);
    expect(a.accountant).toBe('rdp');
    expect(Math.abs(a.epsilon / mnist.rdp - 1)).toBeLessThan(1e-8);
    expect(a.optimalOrder).toBe(mnist.rdp_order);
    const b = JSON.parse(prv.stdout);
    expect(b.accountant).toBe('prv');
    expect(Math.abs(b.upper - mnist.prv.upper)).toBeLessThan(0.01);
    expect(b.epsilon).toBe(b.upper);
    expect(b.lower).toBeLessThan(b.estimate);
    const c = JSON.parse(gdp.stdout);
    expect(Math.abs(c.epsilon / mnist.gdp - 1)).toBeLessThan(1e-6);
    expect(c.warnings.join(' ')).toMatch(/underestimate/);
    expect(gdp.stderr).toMatch(/warning: .*underestimate/);
  });

  it('epsilon text output', async () => {
    const r = await run('epsilon', ...base);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^epsilon = 2\.59656 at delta = 0\.00001 \(rdp, optimal order 8\.1\)/);
  });

  it('convenience form: --dataset-size --batch-size --epochs', async () => {
    // 60 epochs of batch 256 over 60000 examples: q = 256/60000, 14062 steps (the reference run).
    const r = await run(
      'epsilon',
      '--dataset-size',
      '60000',
      '--batch-size',
      '256',
      '--epochs',
      '60',
      '--noise-multiplier',
      '1.1',
      '--delta',
      '1e-5',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.steps).toBe(mnist.steps);
    expect(Math.abs(j.epsilon / mnist.rdp - 1)).toBeLessThan(1e-8);
    expect(j.warnings).toEqual([]);
  });

  it('sigma --json matches the reference calibration and reports the epsilon it gives', async () => {
    const c = reference.calibration.find((x) => x.id === 'k4')!;
    const args = [
      'sigma',
      '--target-epsilon',
      String(c.target_epsilon),
      '--delta',
      String(c.delta),
      '--sample-rate',
      String(c.q),
      '--steps',
      String(c.steps),
      '--json',
    ];
    const [rdp, prv] = await Promise.all([run(...args), run(...args, '--accountant', 'prv')]);
    for (const [r, acc] of [
      [rdp, 'rdp'],
      [prv, 'prv'],
    ] as const) {
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.accountant).toBe(acc);
      expect(j.epsilon).toBeLessThanOrEqual(c.target_epsilon);
      expect(Math.abs(j.noiseMultiplier / c['sigma_tol_1e-4'][acc] - 1)).toBeLessThan(0.01);
    }
    expect(JSON.parse(prv.stdout).upper).toBeLessThanOrEqual(c.target_epsilon);
  });

  it('steps --json', async () => {
    const r = await run(
      'steps',
      '--target-epsilon',
      String(mnist.rdp * (1 + 1e-9)),
      '--delta',
      '1e-5',
      '--sample-rate',
      String(mnist.q),
      '--noise-multiplier',
      '1.1',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).steps).toBe(mnist.steps);
  });

  it("PRV's limits are errors a user cannot act on: beyond them the CLI prints the RDP bound and why, exit 0", async () => {
    const args = [
      'epsilon',
      '--sample-rate',
      '0.01',
      '--noise-multiplier',
      '1',
      '--steps',
      '10000000',
      '--delta',
      '1e-5',
      '--accountant',
      'prv',
    ];
    const [text, json] = await Promise.all([run(...args), run(...args, '--json')]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /^epsilon = [\d.]+ at delta = 0\.00001 \(prv not applicable here, rdp upper bound instead: see the warning\)/,
    );
    expect(text.stderr).toMatch(/^warning: PRV: .*; epsilon is the RDP upper bound instead/);
    expect(text.stdout + text.stderr).not.toMatch(/Infinity|NaN/);
    const j = JSON.parse(json.stdout);
    expect(j.fallback.accountant).toBe('rdp');
    expect(j.epsilon).toBe(j.upper);
  });

  it('warns when δ ≥ 1/N', async () => {
    const r = await run(...deltaAboveOneOverN, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: delta 0\.01 ≥ 1\/N/);
    expect(JSON.parse(r.stdout).warnings[0]).toMatch(/1\/N/);
  });

  it('a reader that closes the pipe early (| head -1) ends the CLI quietly: exit 0, no EPIPE trace', async () => {
    // The read ends of stdout and stderr are closed before the CLI (about a second to start) writes.
    const closedStdout = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'epsilon', ...base], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(closedStdout.stderr).toBe('');
    expect(closedStdout.code).toBe(0);
    // Both closed, with a warning on stderr (δ ≥ 1/N): still no crash.
    const bothClosed = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...deltaAboveOneOverN], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      child.stderr.destroy();
      child.on('close', resolve);
    });
    expect(bothClosed).toBe(0);
  });

  const bad: [string, string[], RegExp][] = [
    [
      'q = 0',
      ['epsilon', '--sample-rate', '0', '--noise-multiplier', '1', '--steps', '10', '--delta', '1e-5'],
      /--sample-rate must be in \(0, 1\]/,
    ],
    [
      'q > 1',
      ['epsilon', '--sample-rate', '1.5', '--noise-multiplier', '1', '--steps', '10', '--delta', '1e-5'],
      /--sample-rate must be in \(0, 1\]/,
    ],
    [
      'q not a number',
      ['epsilon', '--sample-rate', 'abc', '--noise-multiplier', '1', '--steps', '10', '--delta', '1e-5'],
      /--sample-rate must be a number/,
    ],
    [
      'σ = 0',
      ['epsilon', '--sample-rate', '0.1', '--noise-multiplier', '0', '--steps', '10', '--delta', '1e-5'],
      /--noise-multiplier must be in \[0.01, 10000\]/,
    ],
    [
      'δ = 1',
      ['epsilon', '--sample-rate', '0.1', '--noise-multiplier', '1', '--steps', '10', '--delta', '1'],
      /--delta must be in \(0, 1\)/,
    ],
    [
      'non-integer steps',
      ['epsilon', '--sample-rate', '0.1', '--noise-multiplier', '1', '--steps', '2.5', '--delta', '1e-5'],
      /--steps must be a positive integer/,
    ],
    ['missing delta', ['epsilon', '--sample-rate', '0.1', '--noise-multiplier', '1', '--steps', '10'], /missing required option --delta/],
    ['missing q', ['epsilon', '--noise-multiplier', '1', '--steps', '10', '--delta', '1e-5'], /missing required option --sample-rate/],
    ['missing steps', ['sigma', '--target-epsilon', '1', '--sample-rate', '0.1', '--delta', '1e-5'], /missing required option --steps/],
    ['unknown accountant', ['epsilon', ...base, '--accountant', 'pld'], /--accountant must be one of rdp, prv, gdp/],
    ['unknown option', ['epsilon', ...base, '--sigma', '2'], /unknown option '--sigma'/],
    ['unknown command', ['train-all'], /unknown command 'train-all'/],
    ['no command', [], /missing command/],
  ];

  it.each(bad)('bad arguments (%s) exit 2 with one line naming the argument', async (_label, args, pattern) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  });
});
