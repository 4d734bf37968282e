import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIPPING_FNS, defaultRunConfig, type RunConfig } from '../config/runConfig';
import { calibrateSigma } from '../privacy';
import { EXPORT_TARGETS, exportDataInfo, pytorchScript, type ExportTarget } from './pytorch';

const MODELS: RunConfig['model'][] = [
  { preset: 'logistic' },
  { preset: 'mlp', hidden: [64, 32], activation: 'tanh' },
  { preset: 'cnn', activation: 'relu' },
];
const NOISE: RunConfig['privacy']['noise'][] = [
  { mode: 'sigma', sigma: 1.1 },
  { mode: 'target', epsilon: 3 },
];

function config(model: RunConfig['model'], clipping: RunConfig['privacy']['clipping'], noise: RunConfig['privacy']['noise'], style: 'flat' | 'layer-wise' = 'flat'): RunConfig {
  const c = defaultRunConfig();
  const data: RunConfig['data'] = model.preset === 'cnn' ? { source: 'mnist' } : { source: 'synthetic', name: 'spirals', n: 1000, noise: 0.1, testFraction: 0.2 };
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

describe('PyTorch export', () => {
  it('every preset × clipping × noise mode × style × target (and non-private) is valid Python carrying the config’s numbers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'autoclip-export-'));
    const files: string[] = [];
    let k = 0;
    const emit = (c: RunConfig, target: ExportTarget) => {
      const script = pytorchScript(c, target);
      const file = join(dir, `s${k++}_${target}.py`);
      writeFileSync(file, script);
      files.push(file);
      return script;
    };
    for (const model of MODELS) {
      for (const clipping of CLIPPING_FNS) {
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
                expect(s).toContain('torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)');
                expect(s).toContain(noise.mode === 'sigma' ? 'privacy_engine.make_private(' : 'privacy_engine.make_private_with_epsilon(');
                expect(s).toContain('poisson_sampling=True');
                expect(s.includes('    use_playground_clipping(optimizer, groups)')).toBe(!(clipping === 'abadi' && style === 'flat'));
              } else {
                expect(k2.ACCOUNTING_MODE).toBe('"rdp"');
                expect(s).toContain(`clipping_fn="${clipping === 'abadi' ? 'Abadi' : clipping === 'global' ? 'global' : 'automatic'}"`);
                expect(s).toContain("clipping_mode='MixOpt'");
                expect(s).toContain(`clipping_style="${style === 'flat' ? 'all-layer' : 'layer-wise'}"`);
                expect(s).toContain(noise.mode === 'sigma' ? 'noise_multiplier=NOISE_MULTIPLIER,' : 'target_epsilon=TARGET_EPSILON,');
                expect(s).toContain(`numerical_stability_constant=${clipping === 'auto-s' ? 'GAMMA' : clipping === 'auto-v' ? '1e-6' : 'None'}`);
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
        expect(s).not.toMatch(/PrivacyEngine|NOISE_MULTIPLIER/);
        expect(s).toContain('torch.optim.AdamW(');
      }
    }
    // Other optimizers and accountants.
    for (const optimizer of ['adam', 'lamb'] as const) {
      for (const accountant of ['prv', 'gdp'] as const) {
        const c = config(MODELS[1], 'auto-s', NOISE[0]);
        c.train.optimizer = optimizer;
        c.privacy.accountant = accountant;
        const o = emit(c, 'opacus');
        expect(constants(o).ACCOUNTANT).toBe(`"${accountant}"`);
        const f = emit(c, 'fastdp');
        expect(constants(f).ACCOUNTING_MODE).toBe(accountant === 'prv' ? '"glw"' : '"rdp"');
        expect(f).toContain(optimizer === 'adam' ? 'torch.optim.Adam(' : 'from torch_optimizer import Lamb');
      }
    }
    expect(files.length).toBe(3 * 4 * 2 * 2 * 2 + 3 * 2 + 8);
    // One python3 process compiles them all; it exits non-zero (and this throws) on any syntax error.
    try {
      execFileSync('python3', ['-m', 'py_compile', ...files], { stdio: 'pipe' });
    } catch (e) {
      throw new Error(`py_compile failed:\n${String((e as { stderr?: Buffer }).stderr ?? e).slice(0, 2000)}`);
    }
  });

  it('writes the presets’ layers with the shapes src/model builds, and the header reports σ and ε', () => {
    const cnn = pytorchScript(config(MODELS[2], 'auto-s', NOISE[1]), 'opacus');
    // 28×28: 'same' 8×8 stride-2 conv pads 3 on each side → 14×14×16 → pool 13×13 → conv 4×4 s2 5×5×32 → pool 4×4×32 = 512.
    expect(cnn).toContain('nn.Conv2d(1, 16, kernel_size=8, stride=2, padding=(3, 3)),');
    expect(cnn).toContain('nn.Conv2d(16, 32, kernel_size=4, stride=2),');
    expect(cnn.match(/nn\.MaxPool2d\(2, stride=1\)/g)).toHaveLength(2);
    expect(cnn).toContain('nn.Linear(512, 32),');
    expect(cnn).toContain('nn.Linear(32, 10),');
    expect(cnn).toContain("datasets.MNIST('data', train=True");
    const sigma = calibrateSigma({ targetEpsilon: 3, delta: 2e-6, sampleRate: 128 / 8000, steps: Math.floor((12.5 * 8000) / 128), accountant: 'rdp' });
    expect(cnn).toContain(`the playground's calibration gives ${sigma.noiseMultiplier.toPrecision(6)}`);
    // An odd image side: TF puts the extra padding row/column at the end.
    const odd = pytorchScript(config(MODELS[2], 'abadi', NOISE[0]), 'fastdp', { data: { trainSize: 500, testSize: 100, inputShape: [29, 29, 3], numClasses: 4 } });
    expect(odd).toContain('nn.ZeroPad2d((3, 4, 3, 4))');
    expect(odd).toContain('nn.Conv2d(3, 16, kernel_size=8, stride=2),');
    const mlp = pytorchScript(config(MODELS[1], 'abadi', NOISE[0]), 'opacus');
    expect(mlp).toMatch(/nn\.Flatten\(\),\n\s+nn\.Linear\(2, 64\),\n\s+nn\.Tanh\(\),\n\s+nn\.Linear\(64, 32\),\n\s+nn\.Tanh\(\),\n\s+nn\.Linear\(32, 2\),/);
    expect(mlp).toContain('make_synthetic("spirals", 1000, 0.1, rng)');
    expect(pytorchScript(config(MODELS[0], 'abadi', NOISE[0]), 'opacus')).toContain('nn.Linear(2, 2),');
  });

  it('refuses what it cannot express', () => {
    const c = config(MODELS[2], 'auto-s', NOISE[0]);
    expect(() => pytorchScript({ ...c, data: { source: 'synthetic', name: 'xor', n: 400, noise: 0, testFraction: 0.5 } }, 'opacus')).toThrow(/cnn preset needs image inputs/);
    expect(() => pytorchScript({ ...c, data: { source: 'imported', id: 'x', name: 'mine' } }, 'opacus')).toThrow(/imported dataset needs its sizes/);
    expect(() => pytorchScript({ ...c, train: { ...c.train, batchSize: 9000 } }, 'fastdp')).toThrow(/train.batchSize \(9000\) is larger than the training set \(8000 examples\)/);
  });
});
