/**
 * One table of bad inputs across every place input enters: settings as the controls and
 * config files give them (the run-config schema), URL fragments, imported dataset files, imported
 * runs, and CLI flags. Each must be refused with its own message, never crash, and leave existing
 * state (here: a store with a run) untouched.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main';
import { defaultRunConfig, parseRunConfig, syntheticDefaults, type RunConfig } from './config/runConfig';
import { decodeUrlState } from './config/urlCodec';
import { importDatasetFiles } from './data/import';
import { importRunsJson } from './persistence/exchange';
import { createPlaygroundStore } from './store/playgroundStore';
import { selectDraftProblems } from './store/selectors';

const base = (): RunConfig => ({ ...defaultRunConfig(), ...syntheticDefaults('circle') });
const withTrain = (t: Partial<RunConfig['train']>) => ({ ...base(), train: { ...base().train, ...t } });
const withPrivacy = (p: Partial<RunConfig['privacy']>) => ({ ...base(), privacy: { ...base().privacy, ...p } });

function idxHeader(magic: number, dims: number[]): Uint8Array {
  const b = new Uint8Array(4 + 4 * dims.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, magic);
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d));
  return b;
}

type Case = { where: string; input: string; run: () => Promise<string>; expect: RegExp };

const config = (c: unknown) => async () => {
  const r = parseRunConfig(c);
  return r.ok ? 'accepted' : r.errors.join('; ');
};
const url = (fragment: string) => async () => {
  const r = decodeUrlState(fragment);
  return r.ok ? 'accepted' : r.errors.join('; ');
};
const files = (list: { name: string; bytes: Uint8Array }[]) => async () => {
  try {
    await importDatasetFiles(list);
    return 'accepted';
  } catch (e) {
    return (e as Error).message;
  }
};
const runsFile = (text: string) => async () => {
  try {
    importRunsJson(text);
    return 'accepted';
  } catch (e) {
    const errors = (e as { errors?: string[] }).errors;
    return errors?.join('; ') ?? (e as Error).message;
  }
};
const cli =
  (...argv: string[]) =>
  async () => {
    const err: string[] = [];
    const code = await main(argv, { out: () => undefined, err: (l) => err.push(l) });
    return `exit ${code}: ${err.join(' | ')}`;
  };
const enc = (s: string) => new TextEncoder().encode(s);

const CASES: Case[] = [
  // Controls and config files (one schema)
  { where: 'controls', input: 'learning rate −1', run: config(withTrain({ learningRate: -1 })), expect: /train\.learningRate/ },
  {
    where: 'controls',
    input: 'learning rate 1000',
    run: config(withTrain({ learningRate: 1000 })),
    expect: /train\.learningRate must be ≤ 100/,
  },
  { where: 'controls', input: 'batch size 2.5', run: config(withTrain({ batchSize: 2.5 })), expect: /train\.batchSize must be an integer/ },
  { where: 'controls', input: 'epochs 0', run: config(withTrain({ epochs: 0 })), expect: /train\.epochs must be > 0/ },
  { where: 'controls', input: 'momentum 1', run: config(withTrain({ momentum: 1 })), expect: /train\.momentum must be < 1/ },
  { where: 'controls', input: 'R = 0', run: config(withPrivacy({ maxGradNorm: 0 })), expect: /privacy\.maxGradNorm must be > 0/ },
  { where: 'controls', input: 'γ = 0', run: config(withPrivacy({ gamma: 0 })), expect: /privacy\.gamma must be > 0/ },
  { where: 'controls', input: 'δ = 1', run: config(withPrivacy({ delta: 1 })), expect: /privacy\.delta must be < 1/ },
  {
    where: 'controls',
    input: 'σ = 0 with privacy on',
    run: config(withPrivacy({ noise: { mode: 'sigma', sigma: 0 } })),
    expect: /privacy\.noise\.sigma must be > 0/,
  },
  {
    where: 'controls',
    input: 'target ε = −3',
    run: config(withPrivacy({ noise: { mode: 'target', epsilon: -3 } })),
    expect: /privacy\.noise\.epsilon/,
  },
  {
    where: 'controls',
    input: 'hidden width 0',
    run: config({ ...base(), model: { preset: 'mlp', hidden: [0], activation: 'relu' } }),
    expect: /model\.hidden widths must be ≥ 1/,
  },
  { where: 'config file', input: 'unknown top-level key', run: config({ ...base(), extra: 1 }), expect: /extra/ },
  { where: 'config file', input: 'version 2', run: config({ ...base(), version: 2 }), expect: /version/ },
  { where: 'config file', input: 'seed −1', run: config({ ...base(), seed: -1 }), expect: /seed must be ≥ 0/ },
  // URL
  { where: 'URL', input: 'lr=abc', run: url('lr=abc'), expect: /'lr' must be a number/ },
  { where: 'URL', input: 'script in a value', run: url('clip=<script>alert(1)</script>'), expect: /'clip' must be one of/ },
  { where: 'URL', input: 'unknown parameter', run: url('evil=1'), expect: /unknown URL parameter 'evil'/ },
  { where: 'URL', input: 'batch=0', run: url('data=circle&batch=0'), expect: /train\.batchSize/ },
  { where: 'URL', input: 'sigma=1e308', run: url('sigma=1e308'), expect: /privacy\.noise\.sigma must be ≤ 10000/ },
  { where: 'URL', input: 'eps=1e308', run: url('eps=1e308'), expect: /privacy\.noise\.epsilon must be ≤ 100/ },
  { where: 'URL', input: 'dp=yes', run: url('dp=yes'), expect: /'dp' must be 0 or 1/ },
  { where: 'URL', input: 'repeated parameter', run: url('lr=1&lr=2'), expect: /more than once/ },
  { where: 'URL', input: 'hide unknown control', run: url('hide=all'), expect: /unknown control 'all'/ },
  { where: 'URL', input: 'sweep R not numbers', run: url('sweepR=a&sweepLr=0.1'), expect: /'sweepR' must be/ },
  // Imported dataset files
  {
    where: 'dataset file',
    input: 'empty IDX',
    run: files([{ name: 'train-images-idx3-ubyte', bytes: new Uint8Array(0) }]),
    expect: /empty/i,
  },
  {
    where: 'dataset file',
    input: 'bad IDX magic',
    run: files([{ name: 'train-images-idx3-ubyte', bytes: idxHeader(0x12340803, [1, 28, 28]) }]),
    expect: /magic/i,
  },
  {
    where: 'dataset file',
    input: 'truncated IDX images',
    run: files([
      { name: 'train-images-idx3-ubyte', bytes: idxHeader(0x803, [10, 28, 28]) },
      { name: 'train-labels-idx1-ubyte', bytes: new Uint8Array([...idxHeader(0x801, [10]), ...new Uint8Array(10)]) },
    ]),
    expect: /truncated|short|expected/i,
  },
  {
    where: 'dataset file',
    input: 'CSV with a non-numeric cell',
    run: files([{ name: 'data.csv', bytes: enc('a,b,label\n1,x,0\n2,3,1\n') }]),
    expect: /numeric|number/i,
  },
  {
    where: 'dataset file',
    input: 'ragged CSV',
    run: files([{ name: 'data.csv', bytes: enc('a,b,label\n1,2,0\n3,1\n') }]),
    expect: /line 3 has 2 cells but the header has 3/,
  },
  {
    where: 'dataset file',
    input: '600 MiB CSV (was "not UTF-8")',
    run: files([{ name: 'big.csv', bytes: new Uint8Array(600 * 2 ** 20) }]),
    expect: /600\.0 MiB of CSV text is over the 512\.0 MiB limit for one CSV file/,
  },
  {
    where: 'dataset file',
    input: 'CSV row of 300,000 cells',
    run: files([{ name: 'wide.csv', bytes: enc('1,'.repeat(300_000) + '0\n') }]),
    expect: /more than 262,144 cells/,
  },
  // Imported runs
  { where: 'runs file', input: 'not JSON', run: runsFile('{oops'), expect: /JSON/i },
  { where: 'runs file', input: 'wrong format', run: runsFile('{"format":"other","version":1,"runs":[]}'), expect: /format/ },
  { where: 'runs file', input: 'wrong version', run: runsFile('{"format":"autoclip-runs","version":9,"runs":[]}'), expect: /version/ },
  // CLI flags
  {
    where: 'CLI',
    input: 'q > 1',
    run: cli('epsilon', '--sample-rate', '1.5', '--noise-multiplier', '1', '--steps', '10', '--delta', '1e-5'),
    expect: /exit 2: .*--sample-rate/,
  },
  {
    where: 'CLI',
    input: 'σ ≤ 0',
    run: cli('epsilon', '--sample-rate', '0.01', '--noise-multiplier', '0', '--steps', '10', '--delta', '1e-5'),
    expect: /exit 2: .*--noise-multiplier/,
  },
  {
    where: 'CLI',
    input: 'non-integer steps',
    run: cli('epsilon', '--sample-rate', '0.01', '--noise-multiplier', '1', '--steps', '2.5', '--delta', '1e-5'),
    expect: /exit 2: .*--steps/,
  },
  { where: 'CLI', input: '--help --bogus', run: cli('--help', '--bogus'), expect: /exit 2: autoclip: unknown option '--bogus'/ },
  {
    where: 'CLI',
    input: 'config file /dev/zero',
    run: cli('train', '--config', '/dev/zero'),
    expect: /exit 2: .*'\/dev\/zero': it is a character device, not a regular file/,
  },
  {
    where: 'CLI',
    input: 'missing δ',
    run: cli('sigma', '--target-epsilon', '3', '--sample-rate', '0.01', '--steps', '100'),
    expect: /exit 2: .*--delta/,
  },
];

describe('every bad input is refused with its own message', () => {
  it(`the table has at least 30 cases across controls, config files, URL, dataset files, runs files and CLI (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.where))).toEqual(new Set(['controls', 'config file', 'URL', 'dataset file', 'runs file', 'CLI']));
  });

  for (const c of CASES) {
    it(`${c.where}: ${c.input}`, async () => {
      const message = await c.run();
      expect(message).not.toBe('accepted');
      expect(message).toMatch(c.expect);
    });
  }

  it('refused settings change nothing: the store keeps its run and sends no command', () => {
    const sent: string[] = [];
    const store = createPlaygroundStore({ send: (cmd) => sent.push(cmd.type) }, base());
    store.getState().train();
    const before = JSON.stringify({ order: store.getState().order, runs: Object.keys(store.getState().runs) });
    sent.length = 0;
    store.getState().setDraft(() => withTrain({ learningRate: -1 }));
    expect(selectDraftProblems(store.getState()).join()).toContain('train.learningRate');
    store.getState().train();
    expect(sent).toEqual([]);
    expect(JSON.stringify({ order: store.getState().order, runs: Object.keys(store.getState().runs) })).toBe(before);
  });
});
