/** `autoclip export --data playground --out FILE`: the script and the playground's data, side by side. */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../src/testing/tempDir';
import { defaultRunConfig } from '../src/config/runConfig';
import { smallRunConfig } from './fixtures';
import { main } from './main';

/** An empty folder per test: each test checks exactly which files its command wrote. */
const emptyDir = tempDirs('autoclip-export');

async function run(argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(argv, { out: (l) => stdout.push(l), err: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

describe('autoclip export', () => {
  it('--data playground --out writes the script and, beside it, the .npz it reads (MNIST: the embedded 8,000 / 2,000 digits)', async () => {
    const dir = emptyDir();
    const config = join(dir, 'run.json');
    writeFileSync(config, JSON.stringify(defaultRunConfig()));
    const r = await run(['export', '--config', config, '--to', 'fastdp', '--data', 'playground', '--out', join(dir, 'train.py')]);
    expect(r).toMatchObject({ code: 0, stdout: [] });
    expect(r.stderr).toEqual([expect.stringMatching(/^wrote .*train\.py and, beside it, .*mnist_playground\.npz \(\d+\.\d MiB\)$/)]);
    expect(readdirSync(dir).sort()).toEqual(['mnist_playground.npz', 'run.json', 'train.py']);
    const script = readFileSync(join(dir, 'train.py'), 'utf8');
    expect(script).toContain('DATA_FILE = "mnist_playground.npz"');
    expect(script).toMatch(/^TRAIN_SIZE = 8000$/m);
    const npz = readFileSync(join(dir, 'mnist_playground.npz'));
    expect(npz.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04])); // a ZIP, as .npz files are
    expect(npz.length).toBeGreaterThan(10000 * 784);
  }, 60_000);

  it('by default the script goes to stdout (or --out) and no data file is written', async () => {
    const dir = emptyDir();
    const config = join(dir, 'run.json');
    writeFileSync(config, JSON.stringify(smallRunConfig()));
    const r = await run(['export', '--config', config, '--to', 'opacus']);
    expect(r.code).toBe(0);
    expect(r.stdout.join('\n')).toContain('def make_synthetic(');
    const written = await run(['export', '--config', config, '--to', 'opacus', '--out', join(dir, 'train.py')]);
    expect(written).toEqual({ code: 0, stdout: [], stderr: [] });
    expect(readFileSync(join(dir, 'train.py'), 'utf8')).toBe(`${r.stdout.join('\n')}\n`);
    expect(readdirSync(dir).sort()).toEqual(['run.json', 'train.py']);
    expect(existsSync(join(dir, 'mnist_playground.npz'))).toBe(false);
  });

  it('an unreachable target ε is a config error naming privacy.noise.epsilon (it named a --target-epsilon flag export does not have)', async () => {
    const dir = emptyDir();
    const config = join(dir, 'run.json');
    writeFileSync(config, JSON.stringify(smallRunConfig({ accountant: 'rdp', noise: { mode: 'target', epsilon: 0.001 } })));
    const r = await run(['export', '--config', config, '--to', 'opacus', '--out', join(dir, 'train.py')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toEqual([]);
    expect(r.stderr).toEqual([
      expect.stringMatching(/^autoclip export: invalid config: privacy\.noise\.epsilon: the privacy budget is too low/),
    ]);
    expect(readdirSync(dir)).toEqual(['run.json']);
  });
});
