import { describe, expect, it } from 'vitest';
import { CLIPPING_NAMES } from '../clipping/functions';
import { defaultRunConfig, type RunConfig } from '../config/runConfig';
import { calibrateSigma, sampleRateFor } from '../privacy';
import { exportDataInfo, type ExportDataInfo } from './dataInfo';
import { EXPORT_TARGETS, pytorchScript, type ExportTarget } from './pytorch';
import { HOSTILE_STRINGS, PYTHON_MISSING, scriptFacts, type ScriptFacts } from './testing/scriptFacts';

const skipNote = PYTHON_MISSING ? ` (skipped: ${PYTHON_MISSING})` : '';
const pyIt = it.skipIf(PYTHON_MISSING);

const MODELS: RunConfig['model'][] = [
  { preset: 'logistic' },
  { preset: 'mlp', hidden: [64, 32], activation: 'tanh' },
  { preset: 'cnn', activation: 'relu' },
];
const NOISE: RunConfig['privacy']['noise'][] = [
  { mode: 'sigma', sigma: 1.1 },
  { mode: 'target', epsilon: 3 },
];

function config(
  model: RunConfig['model'],
  clipping: RunConfig['privacy']['clipping'],
  noise: RunConfig['privacy']['noise'],
  style: 'flat' | 'layer-wise' = 'flat',
): RunConfig {
  const c = defaultRunConfig();
  const data: RunConfig['data'] =
    model.preset === 'cnn' ? { source: 'mnist' } : { source: 'synthetic', name: 'spirals', n: 1000, noise: 0.1, testFraction: 0.2 };
  return {
    ...c,
    seed: 7,
    data,
    model,
    train: { optimizer: 'sgd', learningRate: 0.25, momentum: 0.8, weightDecay: 0.0001, batchSize: 128, epochs: 12.5, evalEvery: 20 },
    privacy: { ...c.privacy, clipping, maxGradNorm: 0.3, gamma: 0.02, style, noise, delta: 2e-6, accountant: 'rdp' },
  };
}

/** `NAME = value` constants of a generated script. */
function constants(script: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of script.matchAll(/^([A-Z_]+) = ([^#\n]+?)\s*(?:#.*)?$/gm)) out[m[1]] = m[2];
  return out;
}

/** Sizes of an imported set, as the playground's import reports them. */
const IRIS: ExportDataInfo = { trainSize: 120, testSize: 30, inputShape: [4], numClasses: 3 };

function imported(name: string, patch: (c: RunConfig) => void = () => {}): RunConfig {
  const c = config(MODELS[1], 'auto-s', NOISE[0]);
  c.data = { source: 'imported', id: 'imp-1', name };
  c.train.batchSize = 16;
  patch(c);
  return c;
}

describe('PyTorch export', () => {
  pyIt(
    `every preset × clipping × noise mode × style × target (and non-private) is valid Python carrying the config’s numbers${skipNote}`,
    () => {
      const scripts: string[] = [];
      const emit = (c: RunConfig, target: ExportTarget) => {
        const script = pytorchScript(c, target);
        scripts.push(script);
        return script;
      };
      for (const model of MODELS) {
        for (const clipping of CLIPPING_NAMES) {
          for (const noise of NOISE) {
            for (const style of ['flat', 'layer-wise'] as const) {
              for (const target of EXPORT_TARGETS) {
                const c = config(model, clipping, noise, style);
                const s = emit(c, target);
                const k2 = constants(s);
                const info = exportDataInfo(c.data)!;
                expect(Number(k2.SEED)).toBe(7);
                expect(Number(k2.TRAIN_SIZE)).toBe(info.trainSize);
                expect(Number(k2.BATCH_SIZE)).toBe(128);
                expect(k2.SAMPLE_RATE).toBe('BATCH_SIZE / TRAIN_SIZE');
                expect(Number(k2.EPOCHS)).toBe(12.5);
                expect(Number(k2.STEPS)).toBe(Math.floor((12.5 * info.trainSize) / 128));
                expect(Number(k2.LEARNING_RATE)).toBe(0.25);
                expect(Number(k2.MOMENTUM)).toBe(0.8);
                expect(Number(k2.WEIGHT_DECAY)).toBe(0.0001);
                expect(Number(k2.DELTA)).toBe(2e-6);
                expect(Number(k2.MAX_GRAD_NORM)).toBe(0.3);
                expect(Number(k2.GAMMA)).toBe(0.02);
                expect(Number(k2.SENSITIVITY)).toBe(clipping === 'abadi' || clipping === 'global' ? 0.3 : 1);
                expect(k2.CLIPPING).toBe(JSON.stringify(clipping));
                expect(k2.CLIPPING_STYLE).toBe(JSON.stringify(style));
                if (noise.mode === 'sigma') {
                  expect(Number(k2.NOISE_MULTIPLIER)).toBe(1.1);
                  expect(s).not.toContain('TARGET_EPSILON');
                } else {
                  expect(Number(k2.TARGET_EPSILON)).toBe(3);
                  expect(s).not.toContain('NOISE_MULTIPLIER =');
                }
                if (target === 'opacus') {
                  expect(k2.ACCOUNTANT).toBe('"rdp"');
                  expect(s).toContain(
                    'torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)',
                  );
                  expect(s).toContain('DPDataLoader(train, sample_rate=SAMPLE_RATE, generator=sampling_rng)');
                  expect(s.includes('get_noise_multiplier(')).toBe(noise.mode === 'target');
                  expect(s.includes('    use_playground_clipping(optimizer, groups)')).toBe(!(clipping === 'abadi' && style === 'flat'));
                } else {
                  expect(k2.ACCOUNTING_MODE).toBe('"rdp"');
                  expect(s).toContain(`clipping_fn="${clipping === 'abadi' ? 'Abadi' : clipping === 'global' ? 'global' : 'automatic'}"`);
                  expect(s).toContain("clipping_mode='MixOpt'");
                  expect(s).toContain(`clipping_style="${style === 'flat' ? 'all-layer' : 'layer-wise'}"`);
                  expect(s).toContain(noise.mode === 'sigma' ? 'noise_multiplier=NOISE_MULTIPLIER,' : 'target_epsilon=TARGET_EPSILON,');
                  expect(s).toContain(
                    `numerical_stability_constant=${clipping === 'auto-s' ? 'GAMMA' : clipping === 'auto-v' ? '1e-6' : 'None'}`,
                  );
                }
              }
            }
          }
        }
        for (const target of EXPORT_TARGETS) {
          const c = config(model, 'auto-s', NOISE[0]);
          c.privacy.enabled = false;
          c.train.optimizer = 'adamw';
          const s = emit(c, target);
          expect(s).toContain('Privacy: none');
          expect(s).not.toMatch(/PrivacyEngine|DPOptimizer|NOISE_MULTIPLIER/);
          expect(s).toContain('torch.optim.AdamW(');
        }
      }
      // Other optimizers and accountants, secure randomness off, the playground's data, an imported set.
      for (const optimizer of ['adam', 'lamb'] as const) {
        for (const accountant of ['prv', 'gdp'] as const) {
          const c = config(MODELS[1], 'auto-s', NOISE[0]);
          c.train.optimizer = optimizer;
          c.privacy.accountant = accountant;
          c.privacy.secureNoise = accountant === 'gdp';
          const o = emit(c, 'opacus');
          expect(constants(o).ACCOUNTANT).toBe(`"${accountant}"`);
          const f = emit(c, 'fastdp');
          expect(constants(f).ACCOUNTING_MODE).toBe(accountant === 'prv' ? '"glw"' : '"rdp"');
          expect(f).toContain(optimizer === 'adam' ? 'torch.optim.Adam(' : 'from torch_optimizer import Lamb');
        }
      }
      for (const target of EXPORT_TARGETS) {
        scripts.push(pytorchScript(config(MODELS[2], 'auto-v', NOISE[1]), target, { dataset: 'playground' }));
        scripts.push(pytorchScript(imported('iris.csv'), target, { data: IRIS }));
      }
      expect(scripts.length).toBe(3 * 4 * 2 * 2 * 2 + 3 * 2 + 8 + 4);
      // One python3 process parses them all (ast.parse); it throws on any syntax error.
      expect(scriptFacts(scripts)).toHaveLength(scripts.length);
    },
    120_000,
  );

  it('writes the presets’ layers with the shapes src/model builds, and the header reports σ and ε', () => {
    const cnn = pytorchScript(config(MODELS[2], 'auto-s', NOISE[1]), 'opacus');
    // 28×28: 'same' 8×8 stride-2 conv pads 3 on each side → 14×14×16 → pool 13×13 → conv 4×4 s2 5×5×32 → pool 4×4×32 = 512.
    expect(cnn).toContain('nn.Conv2d(1, 16, kernel_size=8, stride=2, padding=(3, 3)),');
    expect(cnn).toContain('nn.Conv2d(16, 32, kernel_size=4, stride=2),');
    expect(cnn.match(/nn\.MaxPool2d\(2, stride=1\)/g)).toHaveLength(2);
    expect(cnn).toContain('nn.Linear(512, 32),');
    expect(cnn).toContain('nn.Linear(32, 10),');
    expect(cnn).toContain("datasets.MNIST('data', train=True");
    const sigma = calibrateSigma({
      targetEpsilon: 3,
      delta: 2e-6,
      sampleRate: 128 / 60000,
      steps: Math.floor((12.5 * 60000) / 128),
      accountant: 'rdp',
    });
    expect(cnn).toContain(`the playground's calibration gives ${sigma.noiseMultiplier.toPrecision(6)}`);
    // An odd image side: TF puts the extra padding row/column at the end.
    const odd = pytorchScript(config(MODELS[2], 'abadi', NOISE[0]), 'fastdp', {
      data: { trainSize: 500, testSize: 100, inputShape: [29, 29, 3], numClasses: 4 },
    });
    expect(odd).toContain('nn.ZeroPad2d((3, 4, 3, 4))');
    expect(odd).toContain('nn.Conv2d(3, 16, kernel_size=8, stride=2),');
    const mlp = pytorchScript(config(MODELS[1], 'abadi', NOISE[0]), 'opacus');
    expect(mlp).toMatch(
      /nn\.Flatten\(\),\n\s+nn\.Linear\(2, 64\),\n\s+nn\.Tanh\(\),\n\s+nn\.Linear\(64, 32\),\n\s+nn\.Tanh\(\),\n\s+nn\.Linear\(32, 2\),/,
    );
    expect(mlp).toContain('make_synthetic("spirals", 1000, 0.1, rng)');
    expect(pytorchScript(config(MODELS[0], 'abadi', NOISE[0]), 'opacus')).toContain('nn.Linear(2, 2),');
  });

  it('refuses what it cannot express', () => {
    const c = config(MODELS[2], 'auto-s', NOISE[0]);
    expect(() =>
      pytorchScript({ ...c, data: { source: 'synthetic', name: 'xor', n: 400, noise: 0, testFraction: 0.5 } }, 'opacus'),
    ).toThrow(/cnn preset needs image inputs/);
    expect(() => pytorchScript({ ...c, data: { source: 'imported', id: 'x', name: 'mine' } }, 'opacus')).toThrow(
      /imported dataset needs its sizes/,
    );
    const xor = {
      ...config(MODELS[1], 'auto-s', NOISE[0]),
      data: { source: 'synthetic' as const, name: 'xor' as const, n: 400, noise: 0, testFraction: 0.5 },
    };
    expect(() => pytorchScript({ ...xor, train: { ...xor.train, batchSize: 300 } }, 'fastdp')).toThrow(
      /train.batchSize \(300\) is larger than the training set \(200 examples\)/,
    );
    // Batches beyond what a step can hold are refused by the config's own limit, naming it.
    expect(() => pytorchScript({ ...c, train: { ...c.train, batchSize: 9000 } }, 'fastdp', { dataset: 'playground' })).toThrow(
      /train.batchSize.*4096/,
    );
    expect(() => pytorchScript(imported('mine'), 'opacus', { data: IRIS, dataset: 'playground' })).toThrow(
      /imported set stays on the device/,
    );
  });
});

/** The issue's file name, and what it did: a script that ran `echo INJECTED > pwned.txt`. */
const ISSUE_NAME = `iris"""; __import__('os').system('echo INJECTED > pwned.txt'); """.csv`;
const DANGEROUS_CALLS =
  /^(__import__|eval|exec|compile|getattr|breakpoint)$|(^|\.)(system|popen|Popen|run|call|check_output|spawn\w*|exec\w+)$|^subprocess\./;

function codeMentions(f: ScriptFacts, word: string): boolean {
  return f.names.some((n) => n.includes(word)) || f.attributes.some((a) => a.includes(word)) || f.calls.some((c) => c.func.includes(word));
}

describe('Python code injection in the exported script (a dataset name ran as code)', () => {
  pyIt(`the issue's CSV name stays a string: no __import__, no os.system, in either script${skipNote}`, () => {
    const scripts = EXPORT_TARGETS.map((t) => pytorchScript(imported(ISSUE_NAME), t, { data: IRIS }));
    for (const f of scriptFacts(scripts)) {
      expect(f.calls.filter((c) => DANGEROUS_CALLS.test(c.func)).map((c) => c.func)).toEqual([]);
      for (const word of ['__import__', 'system', 'pwned', 'INJECTED']) expect(codeMentions(f, word), word).toBe(false);
      expect(f.constants.DATASET_NAME).toBe(ISSUE_NAME);
      // The name is nowhere else: not in the header docstring, not in a comment, not in another literal.
      for (const d of f.docstrings) expect(d).not.toContain('__import__');
      expect(f.strings.filter((s) => s.includes("__import__('os')"))).toEqual([ISSUE_NAME]);
    }
  });

  pyIt(
    `quotes, triple quotes, backslashes, newlines and non-ASCII in the name: parsed back exactly, only as DATASET_NAME${skipNote}`,
    () => {
      // « » mark the name; they are not ASCII, so the script's text may only hold them escaped.
      const cases = HOSTILE_STRINGS.flatMap((s) => EXPORT_TARGETS.map((t) => ({ name: `«${s}»`, target: t, privacy: s.length % 2 === 0 })));
      const scripts = cases.map(({ name, target, privacy }) =>
        pytorchScript(
          imported(name, (c) => (c.privacy.enabled = privacy)),
          target,
          { data: IRIS },
        ),
      );
      const facts = scriptFacts(scripts);
      cases.forEach(({ name }, i) => {
        expect(scripts[i]).not.toMatch(/[«»]/);
        expect(facts[i].constants.DATASET_NAME).toBe(name);
        expect(facts[i].strings.filter((s) => s.includes('«'))).toEqual([name]);
        expect(facts[i].calls.filter((c) => DANGEROUS_CALLS.test(c.func))).toEqual([]);
        expect(String(facts[i].constants.DATA_FILE)).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]*\.npz$|^dataset\.npz$/);
      });
    },
    60_000,
  );

  it('every other field that reaches the script is checked: config strings by the schema, numbers by a formatter that refuses non-finite values', () => {
    const base = imported('iris.csv');
    const hostile = (patch: (c: RunConfig) => void) => {
      const c = structuredClone(base);
      patch(c);
      return () => pytorchScript(c, 'opacus', { data: IRIS });
    };
    expect(hostile((c) => (c.data = { source: 'synthetic', name: ISSUE_NAME as 'xor', n: 400, noise: 0, testFraction: 0.5 }))).toThrow(
      /export: invalid config: .*data/,
    );
    expect(hostile((c) => (c.privacy.clipping = `auto-s"; import os; "` as 'auto-s'))).toThrow(
      /export: invalid config: .*privacy\.clipping/,
    );
    expect(hostile((c) => (c.model = { preset: 'mlp', hidden: [8], activation: '__import__' as 'relu' }))).toThrow(
      /export: invalid config: .*model/,
    );
    expect(hostile((c) => (c.train.learningRate = NaN))).toThrow(/export: invalid config: train\.learningRate/);
    expect(hostile((c) => (c.train.epochs = Infinity))).toThrow(/export: invalid config: .*train\.epochs/);
    expect(hostile((c) => (c.seed = 1.5))).toThrow(/export: invalid config: seed must be an integer/);
    expect(hostile((c) => (c.model = { preset: 'mlp', hidden: [1e400], activation: 'relu' }))).toThrow(
      /export: invalid config: .*model\.hidden/,
    );
    // An imported set's sizes come from the browser session: each is checked and named.
    const withInfo = (info: Partial<Record<keyof ExportDataInfo, unknown>>) => () =>
      pytorchScript(base, 'fastdp', { data: { ...IRIS, ...info } as ExportDataInfo });
    expect(withInfo({ trainSize: NaN })).toThrow(/export: data trainSize must be an integer ≥ 1, got NaN/);
    expect(withInfo({ testSize: Infinity })).toThrow(/export: data testSize must be an integer ≥ 1, got Infinity/);
    expect(withInfo({ numClasses: 2.5 })).toThrow(/export: data numClasses must be an integer ≥ 2, got 2.5/);
    expect(withInfo({ trainSize: '120); import os; (' })).toThrow(/export: data trainSize must be an integer/);
    expect(withInfo({ inputShape: [4, NaN] })).toThrow(/export: data inputShape\[1\] must be an integer ≥ 1, got NaN/);
    expect(withInfo({ inputShape: 'x' })).toThrow(/export: data inputShape must be \[d\] or \[H, W, C\]/);
  });
});

/** Calls in `fn` of the script, by the function they call. */
function callsIn(f: ScriptFacts, fn: string, func: RegExp) {
  return f.calls.filter((c) => c.in === fn && func.test(c.func));
}

/** A function's code without its docstring. */
function code(src: string): string {
  return src.replace(/("""|''')[\s\S]*?\1/, '');
}

function referencesSeed(expr: string): boolean {
  return /\bSEED\b/.test(expr);
}

describe('secure randomness: sampling and noise never seeded from the shared seed', () => {
  const secureConfigs = NOISE.flatMap((noise) => CLIPPING_NAMES.map((clip, i) => config(MODELS[i % 3], clip, noise)));
  for (const target of EXPORT_TARGETS) {
    pyIt(
      `${target}: with secureNoise on, no sampler or noise stream derives from SEED${skipNote}`,
      () => {
        const facts = scriptFacts(secureConfigs.map((c) => pytorchScript(c, target)));
        for (const f of facts) {
          // SEED seeds exactly one thing: the model's initialisation, first thing in main.
          const seeded = f.calls.filter((c) => /manual_seed$/.test(c.func) && c.args.some(referencesSeed));
          expect(seeded.map((c) => `${c.in}: ${c.func}(${c.args.join(', ')})`)).toEqual(['main: torch.manual_seed(SEED)']);
          expect(seeded[0].line).toBeLessThan(callsIn(f, 'main', /^build_model$/)[0].line);
          // Every generator the script seeds gets 63 fresh bits from the OS CSPRNG, none is left at torch's fixed default seed.
          const gens = callsIn(f, 'private_generators', /manual_seed$/);
          expect(gens.length).toBeGreaterThan(0);
          for (const g of gens) expect(g.args).toEqual(['secrets.randbits(63)']);
          expect(code(f.functions.private_generators)).not.toMatch(/\bSEED\b/);
          for (const src of Object.values(f.functions)) expect(src).not.toMatch(/torch\.Generator\([^)]*\)(?!\.manual_seed\()/);
          if (target === 'opacus') {
            const [loader] = callsIn(f, 'main', /^DPDataLoader$/);
            expect(loader.kwargs.generator).toBe('sampling_rng');
            const [opt] = callsIn(f, 'main', /^DPOptimizer$/);
            expect(opt.kwargs.generator).toBe('noise_rng');
            expect(opt.kwargs.secure_mode).toBe('SECURE_MODE');
            expect(f.functions.main).toMatch(/sampling_rng, noise_rng = private_generators\(device\)/);
            expect(f.constants.SECURE_MODE).toBe(false); // torchcsprng only builds for old PyTorch: opt-in, documented in the script
            expect(f.functions.private_generators).toContain("csprng.create_random_device_generator('/dev/urandom')");
          } else {
            // fastDP draws its noise from PyTorch's global generators: they are reseeded after the model's
            // initialisation and before the first step.
            expect(callsIn(f, 'private_generators', /^torch\.manual_seed$/)).toHaveLength(1);
            const line = (re: RegExp) => callsIn(f, 'main', re)[0].line;
            expect(line(/^private_generators$/)).toBeGreaterThan(line(/^build_model$/));
            expect(line(/^private_generators$/)).toBeLessThan(line(/^batches$/));
            expect(callsIn(f, 'main', /^batches$/)[0].args).toEqual(['len(train)', 'sampling_rng']);
          }
          expect(f.docstrings[0]).toContain('Randomness: secure');
        }
      },
      60_000,
    );

    pyIt(
      `${target}: seeded sampling and noise only when the run turned secure randomness off, and the script says it is not private${skipNote}`,
      () => {
        const c = config(MODELS[1], 'auto-s', NOISE[0]);
        c.privacy.secureNoise = false;
        const [f] = scriptFacts([pytorchScript(c, target)]);
        expect(code(f.functions.private_generators)).toMatch(/manual_seed\(SEED \+ 1\)/);
        expect(f.docstrings[0]).toMatch(/NOT\s+private against anyone who knows SEED/);
        expect(f.functions.private_generators).toMatch(/not private against anyone who knows SEED/);
        expect(f.names).not.toContain('secrets');
      },
    );
  }
});

describe("Opacus's loader samples with the playground's q = B / N (it used 1 / ceil(N / B))", () => {
  pyIt(`SAMPLE_RATE is B / N in the loader, the accountant and the noise calibration${skipNote}`, () => {
    // N = 800, B = 128: B / N = 0.16, but 1 / ceil(N / B) = 1/7 ≈ 0.143.
    const configs = NOISE.map((noise) => config(MODELS[1], 'abadi', noise));
    const facts = scriptFacts(configs.map((c) => pytorchScript(c, 'opacus')));
    for (const f of facts) {
      expect(f.constants.TRAIN_SIZE).toBe(800);
      expect(f.constants.SAMPLE_RATE).toBe(sampleRateFor(128, 800));
      expect(f.constants.SAMPLE_RATE).not.toBeCloseTo(1 / Math.ceil(800 / 128), 3);
      expect(callsIn(f, 'main', /^DPDataLoader$/)[0].kwargs.sample_rate).toBe('SAMPLE_RATE');
      expect(callsIn(f, 'main', /get_optimizer_hook_fn$/)[0].kwargs.sample_rate).toBe('SAMPLE_RATE');
      expect(callsIn(f, 'main', /^DPOptimizer$/)[0].kwargs.expected_batch_size).toBe('BATCH_SIZE');
      expect(f.calls.filter((c) => /make_private|from_data_loader/.test(c.func))).toEqual([]);
      expect(callsIn(f, 'main', /^DataLoader$/)).toEqual([]);
    }
    const [, target] = facts;
    expect(callsIn(target, 'main', /^get_noise_multiplier$/)[0].kwargs).toMatchObject({ sample_rate: 'SAMPLE_RATE', steps: 'STEPS' });
    // The header states the same q.
    expect(pytorchScript(configs[0], 'opacus')).toContain(`Poisson sampling q = B / N = ${sampleRateFor(128, 800)},`);
  });
});

describe('fastDP releases the noise-only step of an empty Poisson batch (it skipped it)', () => {
  pyIt(`an empty batch runs noise_only_step: a zero clipped sum for every parameter, then the private step${skipNote}`, () => {
    const facts = scriptFacts(
      [config(MODELS[0], 'auto-s', NOISE[0]), config(MODELS[2], 'abadi', NOISE[1])].map((c) => pytorchScript(c, 'fastdp')),
    );
    for (const f of facts) {
      expect(f.functions.main).toMatch(
        /for idx in batches\(len\(train\), sampling_rng\):\n\s+step \+= 1\n\s+if len\(idx\) == 0:\n\s+noise_only_step\(privacy_engine, optimizer\)\n\s+else:/,
      );
      expect(f.functions.main).not.toMatch(/\bcontinue\b|len\(idx\) > 0/);
      expect(f.functions.noise_only_step).toMatch(
        /for _, param in privacy_engine\.named_params:\n\s+param\.summed_clipped_grad = torch\.zeros_like\(param\)\n\s+optimizer\.step\(\)/,
      );
      // Every one of the STEPS batches is a step: the sampler yields STEPS batches, empty ones included.
      expect(f.functions.batches).toMatch(
        /for _ in range\(STEPS\):\n\s+yield \(torch\.rand\(n, generator=generator\) < SAMPLE_RATE\)\.nonzero\(\)\.flatten\(\)/,
      );
    }
  });
});

describe('MNIST scripts train on all of torchvision’s MNIST (they took a random 8,000 of 60,000)', () => {
  pyIt(`the default script loads the full 60,000 / 10,000 digits, and its header’s q and ε are for them${skipNote}`, () => {
    const c = config(MODELS[2], 'auto-s', NOISE[0]);
    const script = pytorchScript(c, 'opacus');
    const [f] = scriptFacts([script]);
    expect(f.constants).toMatchObject({ TRAIN_SIZE: 60000, TEST_SIZE: 10000, STEPS: Math.floor((12.5 * 60000) / 128) });
    expect(f.calls.filter((c2) => /Subset|randperm/.test(c2.func))).toEqual([]);
    expect(callsIn(f, 'load_data', /datasets\.MNIST$/).map((c2) => c2.kwargs.train)).toEqual(['True', 'False']);
    expect(script).toContain(`q = B / N = ${128 / 60000},`);
    // The playground's own digits are one option away.
    const pg = scriptFacts([pytorchScript(c, 'opacus', { dataset: 'playground' })])[0];
    expect(pg.constants).toMatchObject({ TRAIN_SIZE: 8000, TEST_SIZE: 2000, DATA_FILE: 'mnist_playground.npz' });
    expect(pg.calls.filter((c2) => /MNIST/.test(c2.func))).toEqual([]);
  });
});

describe('the Python check', () => {
  pyIt(`compiles as well as parses: a break outside a loop, which ast.parse accepts, is refused${skipNote}`, () => {
    expect(() => scriptFacts(['x = 1\nbreak\n'])).toThrow(/'break' outside loop/);
  });
});

describe('the script is assembled from shared sections', () => {
  pyIt(`clip_factors has one branch per clipping function of src/clipping, and an unknown CLIPPING raises${skipNote}`, () => {
    const [f] = scriptFacts([pytorchScript(config(MODELS[1], 'auto-s', NOISE[0], 'layer-wise'), 'opacus')]);
    const src = f.functions.clip_factors;
    for (const name of CLIPPING_NAMES) expect(src.split(`if CLIPPING == '${name}':`)).toHaveLength(2);
    expect(src).toMatch(/raise ValueError\(/);
  });

  pyIt(
    `every trainer (plain, Opacus, fastDP) takes its steps in one loop: one loss, backward, step and progress line in main${skipNote}`,
    () => {
      const plain = config(MODELS[0], 'auto-s', NOISE[0]);
      plain.privacy.enabled = false;
      const scripts = [
        pytorchScript(plain, 'opacus'),
        ...EXPORT_TARGETS.map((t) => pytorchScript(config(MODELS[0], 'abadi', NOISE[1]), t)),
      ];
      for (const f of scriptFacts(scripts)) {
        for (const fn of [/^F\.cross_entropy$/, /^loss\.backward$/, /^optimizer\.step$/, /^evaluate$/])
          expect(callsIn(f, 'main', fn)).toHaveLength(1);
        expect(f.functions.main).toMatch(/if step % EVAL_EVERY == 0 or step == STEPS:/);
      }
    },
  );
});

describe("a CNN on images with an odd side exported invalid Python (the padding's comment swallowed the layer's comma)", () => {
  pyIt(`the ZeroPad2d layer is followed by its comma, and both targets' scripts compile${skipNote}`, () => {
    const scripts = EXPORT_TARGETS.map((t) =>
      pytorchScript(config(MODELS[2], 'abadi', NOISE[0]), t, {
        data: { trainSize: 500, testSize: 100, inputShape: [29, 29, 3], numClasses: 4 },
      }),
    );
    for (const f of scriptFacts(scripts)) {
      expect(f.functions.build_model).toMatch(/nn\.ZeroPad2d\(\(3, 4, 3, 4\)\), nn\.Conv2d\(3, 16, kernel_size=8, stride=2\)/);
    }
  });
});
