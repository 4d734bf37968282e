/**
 * Bad command-line input, table-driven. Every case exits with code 2, prints exactly one
 * line naming the flag or field, prints nothing on stdout and writes no output file. The cases run
 * in process through `main` (the executable's own entry; spawning costs ~1 s each), and one case is
 * also spawned to check the exit code of the real process.
 */
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../src/testing/tempDir';
import { smallRunConfig, smallSweepConfig } from './fixtures';
import { main } from './main';
import { autoclip } from './spawn';

const dir = tempDir('autoclip-bad');
const file = (name: string, value: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};
const out = join(dir, 'out.csv');
mkdirSync(join(dir, 'a-directory'));
/** A 5 GiB config file that takes no disk space (sparse): it must be refused without being read. */
const sparse = join(dir, 'sparse.json');
const fd = openSync(sparse, 'w');
ftruncateSync(fd, 5 * 2 ** 30);
closeSync(fd);

const good = file('good.json', smallRunConfig());
const goodSweep = file('good-sweep.json', smallSweepConfig());
const run = (patch: (c: ReturnType<typeof smallRunConfig>) => void) => {
  const c = smallRunConfig();
  patch(c);
  return c;
};
const sweep = (patch: (s: ReturnType<typeof smallSweepConfig>) => void) => {
  const s = smallSweepConfig();
  patch(s);
  return s;
};

const CASES: { argv: string[]; message: string }[] = [
  // lesson
  { argv: ['lesson'], message: 'autoclip lesson: missing lesson name (one of: why-clip, what-r-does, r-lr-coupled' },
  { argv: ['lesson', 'nope'], message: "autoclip lesson: unknown lesson 'nope' (expected one of: why-clip," },
  { argv: ['lesson', 'why-clip', '--seeds', '0'], message: 'autoclip lesson: --seeds must be a positive integer, got 0' },
  { argv: ['lesson', 'why-clip', '--seeds', '21'], message: 'autoclip lesson: --seeds must be' },
  { argv: ['lesson', 'why-clip', '--list'], message: "autoclip lesson: --list takes no lesson name (got 'why-clip')" },
  // train: flags and files
  { argv: ['train'], message: 'autoclip train: missing required option --config' },
  {
    argv: ['train', '--config', join(dir, 'missing.json')],
    message: `autoclip train: cannot read config file '${join(dir, 'missing.json')}': no such file`,
  },
  {
    argv: ['train', '--config', join(dir, 'a-directory')],
    message: `autoclip train: cannot read config file '${join(dir, 'a-directory')}': it is a directory`,
  },
  {
    argv: ['train', '--config', file('broken.json', '{"version": 1,')],
    message: `autoclip train: config file '${join(dir, 'broken.json')}' is not valid JSON:`,
  },
  { argv: ['train', '--config', good, '--bogus'], message: "autoclip train: unknown option '--bogus'" },
  { argv: ['train', '--config', good, '--out', ''], message: 'autoclip train: --out needs a file name' },
  { argv: ['train', '--config', good, 'extra'], message: "autoclip train: unexpected argument 'extra'" },
  // train: files that are not small regular files, and output paths (audit findings)
  {
    argv: ['train', '--config', '/dev/zero'],
    message: "autoclip train: cannot read config file '/dev/zero': it is a character device, not a regular file",
  },
  {
    argv: ['train', '--config', sparse],
    message: `autoclip train: config file '${sparse}' is 5.00 GiB, over the 1.0 MiB limit for a config file`,
  },
  {
    argv: ['sweep', '--config', '/dev/zero'],
    message: "autoclip sweep: cannot read config file '/dev/zero': it is a character device, not a regular file",
  },
  {
    argv: ['export', '--config', sparse, '--to', 'opacus'],
    message: `autoclip export: config file '${sparse}' is 5.00 GiB, over the 1.0 MiB limit`,
  },
  {
    argv: ['train', '--config', good, '--out', join(dir, 'a-directory')],
    message: `autoclip train: --out '${join(dir, 'a-directory')}' is a directory; give a file name`,
  },
  {
    argv: ['train', '--config', good, '--out', join(dir, 'no-such-folder', 'm.csv')],
    message: `autoclip train: --out '${join(dir, 'no-such-folder', 'm.csv')}': the folder '${join(dir, 'no-such-folder')}' does not exist`,
  },
  { argv: ['train', '--config', good, '--out', `${dir}/`], message: `autoclip train: --out '${dir}/' names a folder; give a file name` },
  {
    argv: ['sweep', '--config', goodSweep, '--out', join(dir, 'a-directory')],
    message: `autoclip sweep: --out '${join(dir, 'a-directory')}' is a directory; give a file name`,
  },
  {
    argv: [
      'train',
      '--config',
      file(
        'budget-tiny.json',
        run((c) => (c.privacy.budgetEpsilon = 1e-6)),
      ),
    ],
    message: 'autoclip train: invalid config: privacy.budgetEpsilon 0.000001 allows no training step: one step at q = 0.166667, σ = ',
  },
  // help does not swallow unknown flags
  { argv: ['--help', '--bogus'], message: "autoclip: unknown option '--bogus' after --help" },
  { argv: ['help', 'train', '--bogus'], message: "autoclip: unknown option '--bogus' after help" },
  { argv: ['epsilon', '--help', '--bogus'], message: "autoclip epsilon: unknown option '--bogus'" },
  { argv: ['train', '--bogus', '--help'], message: "autoclip train: unknown option '--bogus'" },
  // train: config fields
  {
    argv: [
      'train',
      '--config',
      file(
        'lr.json',
        run((c) => (c.train.learningRate = 0)),
      ),
      '--out',
      out,
    ],
    message: 'autoclip train: invalid config: train.learningRate must be > 0',
  },
  {
    argv: [
      'train',
      '--config',
      file(
        'seed.json',
        run((c) => (c.seed = 1.5)),
      ),
    ],
    message: 'autoclip train: invalid config: seed must be an integer',
  },
  {
    argv: [
      'train',
      '--config',
      file(
        'delta.json',
        run((c) => (c.privacy.delta = 1)),
      ),
    ],
    message: 'autoclip train: invalid config: privacy.delta must be < 1',
  },
  {
    argv: [
      'train',
      '--config',
      file(
        'sigma0.json',
        run((c) => (c.privacy.noise = { mode: 'sigma', sigma: 0 })),
      ),
    ],
    message: 'autoclip train: invalid config: privacy.noise.sigma must be > 0 for a private run',
  },
  {
    argv: [
      'train',
      '--config',
      file(
        'n.json',
        run((c) => ((c.data as { n: number }).n = 5)),
      ),
    ],
    message: 'autoclip train: invalid config: data.n must be at least 20',
  },
  {
    argv: [
      'train',
      '--config',
      file(
        'batch.json',
        run((c) => (c.train.batchSize = 500)),
      ),
      '--out',
      out,
    ],
    message: 'autoclip train: invalid config: train.batchSize (500) is larger than the training set (300 examples)',
  },
  {
    argv: [
      'train',
      '--config',
      file(
        'cnn2d.json',
        run((c) => (c.model = { preset: 'cnn', activation: 'relu' })),
      ),
    ],
    message: 'autoclip train: invalid config: model: the cnn preset needs image inputs [H, W, C], got [2]',
  },
  {
    argv: [
      'train',
      '--config',
      file(
        'imported.json',
        run((c) => (c.data = { source: 'imported', id: 'x', name: 'mine' })),
      ),
    ],
    message: "autoclip train: invalid config: data.source 'imported' refers to a dataset imported in a browser session",
  },
  { argv: ['train', '--config', file('array.json', [])], message: 'autoclip train: invalid config: (root): ' },
  // sweep
  {
    argv: [
      'sweep',
      '--config',
      file(
        'R.json',
        sweep((s) => (s.clipping.abadi!.R = [0.1, -1])),
      ),
    ],
    message: 'autoclip sweep: invalid sweep config: clipping.abadi.R[1] must be > 0',
  },
  {
    argv: [
      'sweep',
      '--config',
      file(
        'off.json',
        sweep((s) => (s.base.privacy.enabled = false)),
      ),
      '--out',
      out,
    ],
    message: 'autoclip sweep: invalid sweep config: base.privacy.enabled must be true',
  },
  {
    argv: [
      'sweep',
      '--config',
      file(
        'nogrid.json',
        sweep((s) => (s.clipping = {})),
      ),
    ],
    message: 'autoclip sweep: invalid sweep config: clipping needs at least one of abadi, auto-s, auto-v, global',
  },
  {
    argv: [
      'sweep',
      '--config',
      file(
        'seeds-repeated.json',
        sweep((s) => (s.seeds = [1, 2, 1])),
      ),
    ],
    message: 'autoclip sweep: invalid sweep config: seeds has a repeated seed',
  },
  {
    argv: [
      'sweep',
      '--config',
      file(
        'seeds-fraction.json',
        sweep((s) => (s.seeds = [0.5])),
      ),
    ],
    message: 'autoclip sweep: invalid sweep config: seeds[0] must be a positive integer',
  },
  {
    argv: [
      'sweep',
      '--config',
      file(
        'unknown.json',
        sweep((s) => Object.assign(s.clipping, { adaptive: { lr: [1] } })),
      ),
    ],
    message: "autoclip sweep: invalid sweep config: clipping has unknown key 'adaptive'",
  },
  {
    argv: [
      'sweep',
      '--config',
      file(
        'baselr.json',
        sweep((s) => (s.base.train.batchSize = 0)),
      ),
    ],
    message: 'autoclip sweep: invalid sweep config: base.train.batchSize must be ≥ 1',
  },
  {
    argv: [
      'sweep',
      '--config',
      file(
        'bigbatch.json',
        sweep((s) => (s.base.train.batchSize = 1000)),
      ),
    ],
    message: 'autoclip sweep: invalid sweep config: base.train.batchSize (1000) is larger than the training set (300 examples)',
  },
  { argv: ['sweep', '--config', good], message: 'autoclip sweep: invalid sweep config: base is required' },
  {
    argv: ['sweep', '--config', goodSweep, '--concurrency', '0'],
    message: 'autoclip sweep: --concurrency must be a positive integer, got 0',
  },
  { argv: ['sweep', '--config', goodSweep, '--concurrency', 'two'], message: "autoclip sweep: --concurrency must be a number, got 'two'" },
  { argv: ['sweep', '--config', goodSweep, '--concurrency', '64'], message: 'autoclip sweep: --concurrency must be in [1, 16], got 64' },
  // export
  { argv: ['export', '--config', good], message: 'autoclip export: missing required option --to' },
  {
    argv: ['export', '--config', good, '--to', 'tensorflow'],
    message: "autoclip export: --to must be one of opacus, fastdp, got 'tensorflow'",
  },
  { argv: ['export', '--to', 'opacus'], message: 'autoclip export: missing required option --config' },
  {
    argv: [
      'export',
      '--config',
      file(
        'gamma.json',
        run((c) => (c.privacy.gamma = 0)),
      ),
      '--to',
      'fastdp',
    ],
    message: 'autoclip export: invalid config: privacy.gamma must be > 0',
  },
  {
    argv: [
      'export',
      '--config',
      file(
        'imported2.json',
        run((c) => (c.data = { source: 'imported', id: 'x', name: 'mine' })),
      ),
      '--to',
      'opacus',
    ],
    message: "autoclip export: invalid config: data.source 'imported' cannot be exported from the CLI",
  },
  {
    argv: [
      'export',
      '--config',
      file(
        'cnnx.json',
        run((c) => (c.model = { preset: 'cnn', activation: 'tanh' })),
      ),
      '--to',
      'opacus',
    ],
    message: 'autoclip export: invalid config: the cnn preset needs image inputs [H, W, C], got [2]',
  },
  {
    argv: ['export', '--config', good, '--to', 'opacus', '--data', 'torchvision', '--out', out],
    message: "autoclip export: --data must be one of source, playground, got 'torchvision'",
  },
  {
    argv: ['export', '--config', good, '--to', 'opacus', '--data', 'playground'],
    message: 'autoclip export: --data playground needs --out FILE',
  },
  { argv: ['export', '--config', good, '--to', 'fastdp', '--out', ''], message: 'autoclip export: --out needs a file name' },
  {
    argv: ['export', '--config', good, '--to', 'fastdp', '--out', join(dir, 'a-directory')],
    message: `autoclip export: --out '${join(dir, 'a-directory')}' is a directory`,
  },
  // the calculator commands
  {
    argv: ['epsilon', '--sample-rate', '2', '--noise-multiplier', '1', '--steps', '10', '--delta', '1e-5'],
    message: 'autoclip epsilon: --sample-rate must be in (0, 1], got 2',
  },
  {
    argv: ['epsilon', '--sample-rate', '0.01', '--noise-multiplier', '1', '--steps', '10', '--delta', 'abc'],
    message: "autoclip epsilon: --delta must be a number, got 'abc'",
  },
  {
    argv: ['epsilon', '--sample-rate', '0.01', '--noise-multiplier', '1', '--steps', '2.5', '--delta', '1e-5'],
    message: 'autoclip epsilon: --steps must be a positive integer, got 2.5',
  },
  {
    argv: ['epsilon', '--sample-rate', '0.01', '--noise-multiplier', '1', '--steps', '10', '--delta', '1e-5', '--accountant', 'moments'],
    message: "autoclip epsilon: --accountant must be one of rdp, prv, gdp, got 'moments'",
  },
  {
    argv: ['sigma', '--sample-rate', '0.01', '--steps', '10', '--delta', '1e-5'],
    message: 'autoclip sigma: missing required option --target-epsilon',
  },
  // σ and ε outside the range the accountants answer (src/config/privacyBounds.ts)
  {
    argv: ['epsilon', '--sample-rate', '0.01', '--noise-multiplier', '1e308', '--steps', '100', '--delta', '1e-5', '--accountant', 'prv'],
    message: 'autoclip epsilon: --noise-multiplier must be in [0.01, 10000], got 1e+308',
  },
  {
    argv: ['epsilon', '--sample-rate', '0.01', '--noise-multiplier', '1e8', '--steps', '100', '--delta', '1e-5', '--accountant', 'prv'],
    message: 'autoclip epsilon: --noise-multiplier must be in [0.01, 10000], got 100000000',
  },
  {
    argv: ['sigma', '--target-epsilon', '1000', '--delta', '1e-5', '--sample-rate', '0.1666666', '--steps', '24', '--accountant', 'prv'],
    message: 'autoclip sigma: --target-epsilon must be in (0, 100], got 1000',
  },
  {
    argv: ['steps', '--target-epsilon', '1e308', '--delta', '1e-5', '--sample-rate', '0.01', '--noise-multiplier', '1'],
    message: 'autoclip steps: --target-epsilon must be in (0, 100], got 1e+308',
  },
  {
    argv: ['steps', '--target-epsilon', '3', '--delta', '1e-5', '--sample-rate', '0.01', '--noise-multiplier', '0.001'],
    message: 'autoclip steps: --noise-multiplier must be in [0.01, 10000], got 0.001',
  },
  {
    argv: ['epsilon', '--sample-rate', '0.01', '--noise-multiplier', '1', '--epochs', '1e308', '--delta', '1e-5'],
    message: 'autoclip epsilon: --epochs 1e+308 is too large: it gives more steps than can be counted exactly',
  },
  { argv: ['trian', '--config', good], message: "autoclip: unknown command 'trian'" },
];

describe('autoclip: bad input is refused with one line naming it, exit code 2', () => {
  it.each(CASES)('$argv.0: $message', async ({ argv, message }) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await main(argv, { out: (l) => stdout.push(l), err: (l) => stderr.push(l) });
    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr).toHaveLength(1);
    expect(stderr[0].startsWith(message), `got: ${stderr[0]}`).toBe(true);
    expect(existsSync(out)).toBe(false);
  });

  it('the real process exits 2 with the same line', async () => {
    const r = await autoclip('sweep', '--config', join(dir, 'R.json'), '--out', out);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('autoclip sweep: invalid sweep config: clipping.abadi.R[1] must be > 0\n');
    expect(existsSync(out)).toBe(false);
  });

  it('has at least 30 cases across train, sweep, export, epsilon and sigma', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    for (const cmd of ['train', 'sweep', 'export', 'epsilon', 'sigma']) expect(CASES.some((c) => c.argv[0] === cmd)).toBe(true);
  });
});
