import { parseRunConfig, type DataConfig, type RunConfig } from '../config/runConfig';
import { calibrateSigma, createAccountant, sampleRateFor, stepsFor } from '../privacy';
import { canWritePlaygroundData, playgroundDataFileName } from './playgroundData';
import { pyDocstring, pyFloat, pyInt, pyStr } from './python';

/**
 * "Export to PyTorch" (issue 9): a runnable training script for a run config, for Opacus
 * (github.com/pytorch/opacus) or fastDP (github.com/awslabs/fast-differential-privacy), with the
 * same model, data, sampling, optimizer, clipping and privacy numbers. Pure string generation:
 * the `autoclip export` CLI and the playground's export buttons both call `pytorchScript`.
 *
 * What maps how:
 * - Model presets become nn.Sequential with Glorot-uniform weights and zero biases (as src/model);
 *   the CNN's 'same' padding of the stride-2 8×8 conv is TF's (extra row/column at the end).
 * - Opacus: its building blocks (GradSampleModule, DPOptimizer, DPDataLoader, an accountant) wired
 *   as make_private does, but with the playground's q = B/N (make_private derives 1/ceil(N/B) from
 *   a DataLoader). Opacus itself implements Abadi clipping only, so AUTO-S, AUTO-V, global and
 *   layer-wise clipping replace the optimizer's clip_and_accumulate with the playground's rule
 *   (noise std = σ × sensitivity).
 * - fastDP: PrivacyEngine(module, batch_size, sample_size, epochs, noise_multiplier | target_epsilon,
 *   clipping_fn='automatic'|'Abadi'|'global', clipping_mode='MixOpt', clipping_style='all-layer'|
 *   'layer-wise'), with Poisson batches drawn in the script; an empty batch still releases its noise.
 *   fastDP accounts with RDP or GLW (numerical composition, the PRV accountant's counterpart); it has
 *   no GDP accountant.
 * - Randomness: with secure randomness on (privacy.secureNoise) sampling and noise never derive from
 *   the seed, which travels in URLs and run.json; seeded sampling and noise are written only for runs
 *   that turned it off, with a warning that they are not private against anyone who knows the seed.
 * - Data: MNIST is all of torchvision's (60,000 / 10,000) by default; with `dataset: 'playground'`
 *   the script reads the playground's exact examples from an .npz (./playgroundData.ts).
 *
 * Every value enters the script through ./python.ts (pyStr, pyFloat, pyInt); no user string goes
 * into a docstring or a comment.
 */

export const EXPORT_TARGETS = ['opacus', 'fastdp'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

/** Where the script's examples come from: the source (torchvision, numpy) or the playground's own, in an .npz. */
export const EXPORT_DATASETS = ['source', 'playground'] as const;
export type ExportDataset = (typeof EXPORT_DATASETS)[number];

/** What the script needs to know about the data beyond the config. */
export interface ExportDataInfo {
  trainSize: number;
  testSize: number;
  /** One example: [d] or [H, W, C]. */
  inputShape: readonly number[];
  numClasses: number;
}

/** Sizes of the embedded MNIST set (src/data/mnist-build.ts: 10,000 digits, 2,000 held out). */
export const EMBEDDED_MNIST: ExportDataInfo = { trainSize: 8000, testSize: 2000, inputShape: [28, 28, 1], numClasses: 10 };
/** Sizes of torchvision's MNIST, which a script trains on by default. */
export const TORCHVISION_MNIST: ExportDataInfo = { trainSize: 60000, testSize: 10000, inputShape: [28, 28, 1], numClasses: 10 };

/** Data sizes for the sources the script can load itself; null for an imported set (the caller knows them). */
export function exportDataInfo(data: DataConfig, dataset: ExportDataset = 'source'): ExportDataInfo | null {
  switch (data.source) {
    case 'synthetic': {
      // As src/data/split.ts splits a synthetic set.
      const nTest = Math.min(data.n - 1, Math.max(1, Math.round(data.n * data.testFraction)));
      return { trainSize: data.n - nTest, testSize: nTest, inputShape: [2], numClasses: 2 };
    }
    case 'mnist':
      return dataset === 'playground' ? EMBEDDED_MNIST : TORCHVISION_MNIST;
    case 'imported':
      return null;
  }
}

export interface ExportOptions {
  /** Required for imported datasets; defaults to exportDataInfo(config.data, dataset). */
  data?: ExportDataInfo;
  /** 'source' (default) or 'playground': the playground's exact examples from playgroundDataFileName(). */
  dataset?: ExportDataset;
}

/** Sizes from the caller (an imported set's metadata) are checked like config fields. */
function checkDataInfo(info: ExportDataInfo): ExportDataInfo {
  const positive = (x: unknown, field: string, min = 1) => {
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < min)
      throw new RangeError(`export: data ${field} must be an integer ≥ ${min}, got ${String(x)}`);
    return x;
  };
  const shape = info.inputShape;
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > 3)
    throw new RangeError(`export: data inputShape must be [d] or [H, W, C], got ${JSON.stringify(shape)}`);
  return {
    trainSize: positive(info.trainSize, 'trainSize'),
    testSize: positive(info.testSize, 'testSize'),
    inputShape: shape.map((d, i) => positive(d, `inputShape[${i}]`)),
    numClasses: positive(info.numClasses, 'numClasses', 2),
  };
}

/** A number for the header's prose: 6 significant digits, ∞ for an unbounded ε; NaN is refused. */
function sig6(x: number, what: string): string {
  if (x === Infinity) return '∞';
  return Number(pyFloat(x, what)).toPrecision(6);
}

const ACT: Record<string, string> = { relu: 'nn.ReLU()', tanh: 'nn.Tanh()', sigmoid: 'nn.Sigmoid()' };

/** TF 'same' padding along one axis: [before, after] (the extra one goes after). */
function samePadding(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function convOut(size: number, kernel: number, stride: number): number {
  return Math.floor((size - kernel) / stride) + 1;
}

/** nn.Sequential layers (Python source lines) for the preset, and a one-line description. */
function modelLayers(model: RunConfig['model'], info: ExportDataInfo): { lines: string[]; description: string } {
  const inFeatures = pyInt(
    info.inputShape.reduce((a, b) => a * b, 1),
    'the input size',
  );
  const C = pyInt(info.numClasses, 'data numClasses');
  switch (model.preset) {
    case 'logistic':
      return { lines: ['nn.Flatten()', `nn.Linear(${inFeatures}, ${C})`], description: `logistic regression (${inFeatures} → ${C})` };
    case 'mlp': {
      const lines = ['nn.Flatten()'];
      let d = inFeatures;
      for (const width of model.hidden) {
        const h = pyInt(width, 'model.hidden');
        lines.push(`nn.Linear(${d}, ${h})`, ACT[model.activation]);
        d = h;
      }
      lines.push(`nn.Linear(${d}, ${C})`);
      return { lines, description: `MLP ${[inFeatures, ...model.hidden.map((h) => pyInt(h)), C].join(' → ')}, ${model.activation}` };
    }
    case 'cnn': {
      if (info.inputShape.length !== 3)
        throw new Error(`export: the cnn preset needs image inputs [H, W, C], got [${info.inputShape.join(', ')}]`);
      const [H, W, Cin] = info.inputShape;
      const act = ACT[model.activation];
      const [pt, pb] = samePadding(H, 8, 2).map((x) => pyInt(x));
      const [pl, pr] = samePadding(W, 8, 2).map((x) => pyInt(x));
      const lines: string[] = [];
      if (pt === pb && pl === pr) lines.push(`nn.Conv2d(${pyInt(Cin)}, 16, kernel_size=8, stride=2, padding=(${pt}, ${pl}))`);
      else
        lines.push(
          `nn.ZeroPad2d((${pl}, ${pr}, ${pt}, ${pb}))  # TF 'same' padding`,
          `nn.Conv2d(${pyInt(Cin)}, 16, kernel_size=8, stride=2)`,
        );
      let h = Math.ceil(H / 2);
      let w = Math.ceil(W / 2);
      lines.push(act, 'nn.MaxPool2d(2, stride=1)');
      h -= 1;
      w -= 1;
      lines.push('nn.Conv2d(16, 32, kernel_size=4, stride=2)', act, 'nn.MaxPool2d(2, stride=1)');
      h = convOut(h, 4, 2) - 1;
      w = convOut(w, 4, 2) - 1;
      if (!(h >= 1 && w >= 1)) throw new Error(`export: images of ${H}×${W} are too small for the cnn preset`);
      lines.push('nn.Flatten()', `nn.Linear(${pyInt(32 * h * w)}, 32)`, act, `nn.Linear(32, ${C})`);
      return { lines, description: `CNN conv8×8/16 s2 → maxpool2 s1 → conv4×4/32 s2 → maxpool2 s1 → dense 32 → ${C}, ${model.activation}` };
    }
  }
}

/** The privacy numbers as the playground computes them, for the script's header. */
interface PrivacyNumbers {
  sampleRate: number;
  steps: number;
  sigma: number;
  epsilon: number;
}

function privacyNumbers(config: RunConfig, info: ExportDataInfo): PrivacyNumbers | null {
  const p = config.privacy;
  if (!p.enabled) return null;
  const sampleRate = sampleRateFor(config.train.batchSize, info.trainSize);
  const steps = Math.max(1, stepsFor(config.train.epochs, info.trainSize, config.train.batchSize));
  if (p.noise.mode === 'sigma') {
    const epsilon = createAccountant(p.accountant).step(sampleRate, p.noise.sigma, steps).getEpsilon(p.delta).epsilon;
    return { sampleRate, steps, sigma: p.noise.sigma, epsilon };
  }
  const key = JSON.stringify([p.noise.epsilon, p.delta, sampleRate, steps, p.accountant]);
  let cal = calibrations.get(key);
  if (!cal) {
    const r = calibrateSigma({ targetEpsilon: p.noise.epsilon, delta: p.delta, sampleRate, steps, accountant: p.accountant });
    cal = { sigma: r.noiseMultiplier, epsilon: r.epsilon };
    if (calibrations.size >= 64) calibrations.clear();
    calibrations.set(key, cal);
  }
  return { sampleRate, steps, ...cal };
}

/** Calibration (up to ~100 ms with PRV) is repeated for every export of the same privacy setting; keep the last few. */
const calibrations = new Map<string, { sigma: number; epsilon: number }>();

/** Reading x_train, y_train, x_test, y_test from DATA_FILE (the playground's data, or an imported set saved by the user). */
function npzLoader(missingHint: string): string[] {
  return [
    'def find_data_file():',
    '    """DATA_FILE beside this script, or else in the current directory."""',
    '    for folder in (os.path.dirname(os.path.abspath(__file__)), os.getcwd()):',
    '        path = os.path.join(folder, DATA_FILE)',
    '        if os.path.isfile(path):',
    '            return path',
    `    sys.exit(f'{DATA_FILE} is neither beside this script nor in the current directory: ${missingHint}')`,
    '',
    '',
    'def as_features(x):',
    '    """float32 features: uint8 pixels divided by 255 in float32, exactly as the playground scales them."""',
    '    return torch.from_numpy(x.astype(np.float32) / 255 if x.dtype == np.uint8 else x.astype(np.float32))',
    '',
    '',
    'def npz_datasets(path):',
    '    """x_train, y_train, x_test, y_test from an .npz (images channels first, y labels) as datasets."""',
    '    d = np.load(path)',
    "    train = TensorDataset(as_features(d['x_train']), torch.as_tensor(d['y_train'], dtype=torch.int64))",
    "    test = TensorDataset(as_features(d['x_test']), torch.as_tensor(d['y_test'], dtype=torch.int64))",
    '    if len(train) != TRAIN_SIZE:',
    "        print(f'note: {len(train)} training examples instead of {TRAIN_SIZE}: q and ε change')",
    '    return train, test',
    '',
    '',
  ];
}

function dataSection(config: RunConfig, info: ExportDataInfo, dataset: ExportDataset): string[] {
  const data = config.data;
  if (dataset === 'playground') {
    const what = data.source === 'mnist' ? 'MNIST digits' : `'${data.source === 'synthetic' ? data.name : ''}' points`;
    return [
      `DATA_FILE = ${pyStr(playgroundDataFileName(data, config.seed))}`,
      '',
      '',
      ...npzLoader('the export writes it (autoclip export --data playground, or the playground’s export with its data)'),
      'def load_data():',
      ...pyDocstring(
        [
          `The playground's exact ${what}: ${pyInt(info.trainSize)} training and ${pyInt(info.testSize)} test examples from`,
          'DATA_FILE, which the export writes beside this script. Nothing is downloaded, and the examples,',
          'hence q = B / N and ε, are the playground run’s.',
        ],
        '    ',
      ),
      '    return npz_datasets(find_data_file())',
    ];
  }
  switch (data.source) {
    case 'mnist':
      return [
        'def load_data():',
        ...pyDocstring(
          [
            `All of MNIST from torchvision (${pyInt(info.trainSize)} training / ${pyInt(info.testSize)} test digits, downloaded into`,
            './data on the first run), pixels in [0, 1] as the playground scales them. The playground itself',
            `trains on an embedded subset of ${pyInt(EMBEDDED_MNIST.trainSize)} / ${pyInt(EMBEDDED_MNIST.testSize)} digits: here q = B / N, the steps of EPOCHS epochs`,
            'and ε are those of the full set. For the playground’s exact digits, offline, export with its',
            'data (autoclip export --data playground, or the playground’s export with its data).',
          ],
          '    ',
        ),
        '    from torchvision import datasets, transforms',
        '',
        '    to_tensor = transforms.ToTensor()',
        "    train = datasets.MNIST('data', train=True, download=True, transform=to_tensor)",
        "    test = datasets.MNIST('data', train=False, download=True, transform=to_tensor)",
        '    return train, test',
      ];
    case 'synthetic':
      return [
        'def make_synthetic(name, n, noise, rng):',
        '    """The playground\'s 2D teaching sets (src/data/synthetic.ts): same shapes and noise model,',
        '    numpy\'s random stream instead of the playground\'s, so the points differ but not the task."""',
        '    counts = [n // 2 + (1 if c < n % 2 else 0) for c in range(2)]',
        '    xs, ys = [], []',
        '    for label, count in enumerate(counts):',
        '        for i in range(count):',
        "            if name == 'spirals':",
        '                t = 0.0 if count <= 1 else i / (count - 1)',
        '                r = 0.05 + 0.9 * t',
        '                a = 1.75 * 2 * math.pi * t + label * math.pi',
        '                p = (r * math.sin(a), r * math.cos(a))',
        "            elif name == 'circle':",
        '                r = 0.5 * math.sqrt(rng.random()) if label == 0 else math.sqrt(rng.uniform(0.49, 1.0))',
        '                a = rng.uniform(0, 2 * math.pi)',
        '                p = (r * math.cos(a), r * math.sin(a))',
        "            elif name == 'xor':",
        '                sx = -1 if rng.random() < 0.5 else 1',
        '                sy = sx if label == 1 else -sx',
        '                p = (sx * rng.uniform(0.05, 1), sy * rng.uniform(0.05, 1))',
        '            else:  # blobs, two classes',
        '                a = 2 * math.pi * label / 2 + math.pi / 4',
        '                p = (0.6 * math.cos(a) + 0.12 * rng.normal(), 0.6 * math.sin(a) + 0.12 * rng.normal())',
        '            xs.append((p[0] + noise * rng.normal(), p[1] + noise * rng.normal()))',
        '            ys.append(label)',
        '    order = rng.permutation(n)',
        '    return np.asarray(xs, dtype=np.float32)[order], np.asarray(ys, dtype=np.int64)[order]',
        '',
        '',
        'def load_data():',
        ...pyDocstring(
          [
            `The synthetic set (n = ${pyInt(data.n)}, noise = ${pyFloat(data.noise)}), split into ${pyInt(info.trainSize)} training and ${pyInt(info.testSize)} test points.`,
            'For the playground’s exact points, export with its data (autoclip export --data playground).',
          ],
          '    ',
        ),
        '    rng = np.random.default_rng(SEED)',
        `    x, y = make_synthetic(${pyStr(data.name)}, ${pyInt(data.n)}, ${pyFloat(data.noise)}, rng)`,
        '    perm = rng.permutation(len(y))',
        '    test_idx, train_idx = np.sort(perm[:TEST_SIZE]), np.sort(perm[TEST_SIZE:])',
        '    train = TensorDataset(torch.from_numpy(x[train_idx]), torch.from_numpy(y[train_idx]))',
        '    test = TensorDataset(torch.from_numpy(x[test_idx]), torch.from_numpy(y[test_idx]))',
        '    return train, test',
      ];
    case 'imported': {
      const shape =
        info.inputShape.length === 3 ? '[N, C, H, W] (channels first)' : `[N, ${info.inputShape.map((d) => pyInt(d)).join(', ')}]`;
      return [
        '# The name the dataset had in the playground (for a CSV, its file name): data, never code.',
        `DATASET_NAME = ${pyStr(data.name)}`,
        `DATA_FILE = ${pyStr(`${importedFileStem(data.name)}.npz`)}`,
        '',
        '',
        ...npzLoader('save the imported dataset there (see load_data)'),
        'def load_data():',
        ...pyDocstring(
          [
            'The dataset imported in the playground (DATASET_NAME). Its files stay on your device, so save it',
            'as DATA_FILE beside this script: a numpy .npz with arrays x_train, y_train, x_test, y_test',
            `(x: float32 ${shape} scaled as in the playground, or uint8 pixels; y: labels in [0, ${pyInt(info.numClasses)})).`,
          ],
          '    ',
        ),
        '    return npz_datasets(find_data_file())',
      ];
    }
  }
}

/** A portable file name from an imported dataset's name: letters, digits, '_', '-', '.' only, no leading dot. */
function importedFileStem(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9_.-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 80) || 'dataset'
  );
}

function optimizerLines(train: RunConfig['train']): string[] {
  switch (train.optimizer) {
    case 'sgd':
      return ['    return torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)'];
    case 'adam':
      return ['    return torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8, weight_decay=WEIGHT_DECAY)'];
    case 'adamw':
      return [
        '    return torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8, weight_decay=WEIGHT_DECAY)',
      ];
    case 'lamb':
      return [
        '    # LAMB is not in torch.optim; torch-optimizer has one (pip install torch-optimizer).',
        '    from torch_optimizer import Lamb',
        '',
        '    return Lamb(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-6, weight_decay=WEIGHT_DECAY)',
      ];
  }
}

const CLIP_NAMES: Record<RunConfig['privacy']['clipping'], string> = {
  abadi: 'Abadi: min(1, R/‖g‖)',
  'auto-s': 'AUTO-S: 1/(‖g‖ + γ), sensitivity 1',
  'auto-v': 'AUTO-V: 1/‖g‖, sensitivity 1',
  global: 'global: 1 if ‖g‖ ≤ R else 0',
};

/** Opacus accountant names are the playground's. */
const FASTDP_ACCOUNTING: Record<RunConfig['privacy']['accountant'], { mode: string; note: string }> = {
  rdp: { mode: 'rdp', note: 'RDP, as the playground' },
  prv: { mode: 'glw', note: "the playground uses PRV; fastDP's closest is 'glw' (numerical composition, Gopi et al. 2021)" },
  gdp: { mode: 'rdp', note: "the playground uses GDP (CLT, can underestimate ε); fastDP has none, 'rdp' is a valid upper bound" },
};

function dataDescription(config: RunConfig, dataset: ExportDataset): string {
  const d = config.data;
  if (d.source === 'imported') return 'the dataset imported in the playground (DATASET_NAME below), from DATA_FILE';
  if (dataset === 'playground')
    return `the playground's exact ${d.source === 'mnist' ? 'embedded MNIST digits' : `synthetic '${d.name}' points`}, from DATA_FILE`;
  return d.source === 'mnist' ? 'MNIST from torchvision, all of it' : `synthetic '${d.name}', regenerated in numpy`;
}

/**
 * A complete Python script training `config` with Opacus or fastDP. Throws for a config that does not
 * validate, and for one the script cannot express (an imported dataset without `options.data`, a CNN
 * on non-image data, the playground's data of an imported set).
 */
export function pytorchScript(input: RunConfig, target: ExportTarget, options: ExportOptions = {}): string {
  const checked = parseRunConfig(input);
  if (!checked.ok) throw new Error(`export: invalid config: ${checked.errors.join('; ')}`);
  const config = checked.config;
  const dataset = options.dataset ?? 'source';
  if (dataset === 'playground' && !canWritePlaygroundData(config.data)) {
    throw new Error(
      "export: the playground's data can be written for MNIST and synthetic sets; an imported set stays on the device that imported it",
    );
  }
  const known = options.data ?? exportDataInfo(config.data, dataset);
  if (!known) throw new Error('export: an imported dataset needs its sizes (trainSize, testSize, inputShape, numClasses)');
  const info = checkDataInfo(known);
  const { train, privacy: p, seed } = config;
  if (train.batchSize > info.trainSize)
    throw new RangeError(`train.batchSize (${train.batchSize}) is larger than the training set (${info.trainSize} examples)`);
  const model = modelLayers(config.model, info);
  const numbers = privacyNumbers(config, info);
  const steps = Math.max(1, stepsFor(train.epochs, info.trainSize, train.batchSize));
  const automatic = p.clipping === 'auto-s' || p.clipping === 'auto-v';
  const sensitivity = automatic ? 1 : p.maxGradNorm;
  const toolName = target === 'opacus' ? 'Opacus' : 'fastDP';
  const usesNpz = dataset === 'playground' || config.data.source === 'imported';
  const secure = p.enabled && p.secureNoise;

  const about: string[] = [
    `${p.enabled ? `DP training with ${toolName}` : 'Non-private training'}, exported from AutoClip Playground.`,
    '',
    `Data: ${dataDescription(config, dataset)} (${pyInt(info.trainSize)} train / ${pyInt(info.testSize)} test)`,
    `Model: ${model.description}`,
    `Optimizer: ${train.optimizer}, lr ${pyFloat(train.learningRate)}, batch ${pyInt(train.batchSize)}, ${pyFloat(train.epochs)} epochs = ${pyInt(steps)} steps`,
  ];
  if (numbers) {
    about.push(
      `Privacy: ${CLIP_NAMES[p.clipping]} (${p.style === 'flat' ? 'all layers together' : 'layer-wise'}), Poisson sampling q = B / N = ${pyFloat(numbers.sampleRate)},`,
      `  σ = ${sig6(numbers.sigma, 'σ')} ${p.noise.mode === 'target' ? `(the playground's calibration for ε = ${pyFloat(p.noise.epsilon)})` : '(fixed)'}, δ = ${pyFloat(p.delta)}:`,
      `  on these ${pyInt(info.trainSize)} examples the playground's ${p.accountant} accountant gives ε = ${sig6(numbers.epsilon, 'ε')} after ${pyInt(numbers.steps)} steps.`,
    );
    if (p.sampling === 'shuffle')
      about.push('  The playground run used shuffled fixed-size batches; this script samples as the accountant assumes (Poisson).');
    about.push(
      ...(secure
        ? [
            'Randomness: secure (the run config has secureNoise on). Sampling and noise never derive from',
            "SEED, which travels in the run config and the playground's URL: see private_generators().",
          ]
        : [
            'Randomness: SEEDED (the run config has secure randomness off). Sampling and noise derive from',
            "SEED, which travels in the run config and the playground's URL: the run is reproducible and",
            'NOT private against anyone who knows SEED. For teaching and debugging only.',
          ]),
    );
  } else {
    about.push('Privacy: none (the run config has privacy turned off): plain training, no clipping, no noise.');
  }
  const requirements = ['torch', ...(config.data.source === 'mnist' && dataset === 'source' ? ['torchvision'] : []), 'numpy'];
  if (p.enabled && target === 'opacus') requirements.push("'opacus>=1.4'");
  if (config.train.optimizer === 'lamb') requirements.push('torch-optimizer');
  about.push('', `Requirements: pip install ${requirements.join(' ')}`);
  if (p.enabled && target === 'fastdp')
    about.push('  and fastDP: pip install git+https://github.com/awslabs/fast-differential-privacy.git');
  const header = ['#!/usr/bin/env python3', ...pyDocstring(about), ''];

  const opacusPrivate = p.enabled && target === 'opacus';
  const imports = [
    'import math',
    ...(usesNpz ? ['import os'] : []),
    ...(secure ? ['import secrets'] : []),
    ...(usesNpz ? ['import sys'] : []),
    ...(opacusPrivate ? ['import types'] : []),
    '',
    'import numpy as np',
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    'from torch.utils.data import DataLoader, TensorDataset',
    ...(!p.enabled
      ? []
      : target === 'opacus'
        ? [
            'from opacus import GradSampleModule',
            'from opacus.accountants import create_accountant',
            ...(p.noise.mode === 'target' ? ['from opacus.accountants.utils import get_noise_multiplier'] : []),
            'from opacus.data_loader import DPDataLoader',
            'from opacus.optimizers import DPOptimizer',
            'from opacus.optimizers.optimizer import _mark_as_processed',
          ]
        : ['from fastDP import PrivacyEngine']),
    '',
  ];

  const seedNote = !p.enabled
    ? 'initialisation, data and batch order'
    : secure
      ? 'initialisation and data only: sampling and noise never derive from it'
      : 'initialisation, data, and (secure randomness off) sampling and noise';
  const constants = [
    '# The run config, in one place.',
    `SEED = ${pyInt(seed)}  # ${seedNote}`,
    `TRAIN_SIZE = ${pyInt(info.trainSize)}`,
    `TEST_SIZE = ${pyInt(info.testSize)}`,
    `BATCH_SIZE = ${pyInt(train.batchSize)}  # expected batch size B`,
    ...(p.enabled ? ['SAMPLE_RATE = BATCH_SIZE / TRAIN_SIZE  # Poisson sampling rate q = B / N, as the playground'] : []),
    `EPOCHS = ${pyFloat(train.epochs)}`,
    `STEPS = ${pyInt(steps)}  # floor(EPOCHS * TRAIN_SIZE / BATCH_SIZE), as the playground counts them`,
    `LEARNING_RATE = ${pyFloat(train.learningRate)}`,
    ...(train.optimizer === 'sgd' ? [`MOMENTUM = ${pyFloat(train.momentum)}`] : []),
    `WEIGHT_DECAY = ${pyFloat(train.weightDecay)}`,
    `EVAL_EVERY = ${pyInt(train.evalEvery)}`,
  ];
  if (p.enabled) {
    constants.push(
      `CLIPPING = ${pyStr(p.clipping)}  # ${CLIP_NAMES[p.clipping]}`,
      `CLIPPING_STYLE = ${pyStr(p.style)}  # 'flat' = all layers together; 'layer-wise' = each layer gets R / sqrt(K)`,
      `MAX_GRAD_NORM = ${pyFloat(p.maxGradNorm)}  # R${automatic ? ' (not used by automatic clipping)' : ''}`,
      `GAMMA = ${pyFloat(p.gamma)}  # AUTO-S stability constant`,
      `SENSITIVITY = ${pyFloat(sensitivity)}  # ${automatic ? 'automatic clipping: every clipped gradient has norm < 1' : 'R'}; noise std = sigma * SENSITIVITY`,
      p.noise.mode === 'sigma'
        ? `NOISE_MULTIPLIER = ${pyFloat(p.noise.sigma)}  # sigma`
        : `TARGET_EPSILON = ${pyFloat(p.noise.epsilon)}  # sigma is calibrated for it (the playground's calibration gives ${sig6(numbers!.sigma, 'σ')})`,
      `DELTA = ${pyFloat(p.delta)}`,
      target === 'opacus'
        ? `ACCOUNTANT = ${pyStr(p.accountant)}`
        : `ACCOUNTING_MODE = ${pyStr(FASTDP_ACCOUNTING[p.accountant].mode)}  # ${FASTDP_ACCOUNTING[p.accountant].note}`,
    );
    if (secure && target === 'opacus') {
      constants.push(
        "# True: Opacus's secure_mode, sampling and noise straight from /dev/urandom through torchcsprng, and",
        '# its defence against floating-point attacks on the noise. torchcsprng has wheels only for old',
        '# PyTorch releases (github.com/pytorch/csprng), hence off by default: see private_generators().',
        'SECURE_MODE = False',
      );
    }
  }
  constants.push('');

  const modelSection = [
    '',
    'def build_model():',
    '    model = nn.Sequential(',
    ...model.lines.map((l) => `        ${l},`),
    '    )',
    '    # Glorot-uniform weights and zero biases, as the playground initialises them.',
    '    for m in model.modules():',
    '        if isinstance(m, (nn.Linear, nn.Conv2d)):',
    '            nn.init.xavier_uniform_(m.weight)',
    '            nn.init.zeros_(m.bias)',
    '    return model',
    '',
    '',
    'def make_optimizer(model):',
    ...optimizerLines(train),
    '',
    '',
    '@torch.no_grad()',
    'def evaluate(model, dataset, device):',
    '    model.eval()',
    '    correct, loss_sum = 0, 0.0',
    '    for x, y in DataLoader(dataset, batch_size=512):',
    '        x, y = x.to(device), y.to(device)',
    '        logits = model(x)',
    "        loss_sum += F.cross_entropy(logits, y, reduction='sum').item()",
    '        correct += (logits.argmax(1) == y).sum().item()',
    '    model.train()',
    '    return correct / len(dataset), loss_sum / len(dataset)',
    '',
  ];

  const body = !p.enabled ? plainMain() : target === 'opacus' ? opacusMain(config) : fastdpMain(config);
  return [
    ...header,
    ...imports,
    ...constants,
    '',
    ...dataSection(config, info, dataset),
    '',
    ...modelSection,
    ...body,
    '',
    "if __name__ == '__main__':",
    '    main()',
    '',
  ].join('\n');
}

const LOG_STEP = [
  '            if step % EVAL_EVERY == 0 or step == STEPS:',
  '                acc, test_loss = evaluate(model, test, device)',
];

function plainMain(): string[] {
  return [
    '',
    'def main():',
    '    torch.manual_seed(SEED)',
    "    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')",
    '    train, test = load_data()',
    '    model = build_model().to(device)',
    '    optimizer = make_optimizer(model)',
    '    loader = DataLoader(train, batch_size=BATCH_SIZE, shuffle=True, generator=torch.Generator().manual_seed(SEED))',
    '    step = 0',
    '    while step < STEPS:',
    '        for x, y in loader:',
    '            optimizer.zero_grad()',
    '            loss = F.cross_entropy(model(x.to(device)), y.to(device))',
    '            loss.backward()',
    '            optimizer.step()',
    '            step += 1',
    ...LOG_STEP,
    "                print(f'step {step}/{STEPS}  loss {loss.item():.4f}  test acc {acc:.4f}  test loss {test_loss:.4f}')",
    '            if step >= STEPS:',
    '                break',
    '',
  ];
}

const SEEDED_WARNING =
  "    print('warning: sampling and noise are seeded from SEED (secure randomness is off): not private against anyone who knows SEED')";

/** Opacus: generators for sampling and for the noise, secure or (only when the config says so) seeded. */
function opacusGenerators(secure: boolean): string[] {
  if (!secure) {
    return [
      'def private_generators(device):',
      '    """Generators for Poisson sampling and for the noise, seeded from SEED because the run config has',
      '    secure randomness off: reproducible, and NOT private against anyone who knows SEED (it travels in',
      '    the run config and the playground\'s URL). For teaching and debugging only."""',
      SEEDED_WARNING,
      '    return torch.Generator().manual_seed(SEED + 1), torch.Generator(device=device).manual_seed(SEED + 2)',
    ];
  }
  return [
    'def private_generators(device):',
    '    """Generators for Poisson sampling and for the noise (secure randomness): nothing here derives from',
    '    SEED. By default each is a PyTorch generator (Mersenne Twister on the CPU, Philox on a GPU) seeded',
    "    with 63 bits from the operating system's CSPRNG: unpredictable to anyone who has the run config,",
    '    though not a cryptographic generator itself. SECURE_MODE = True draws both from /dev/urandom',
    '    (torchcsprng, Opacus\'s secure_mode)."""',
    '    if SECURE_MODE:',
    '        import torchcsprng as csprng',
    '',
    "        rng = csprng.create_random_device_generator('/dev/urandom')",
    '        return rng, rng',
    '    return torch.Generator().manual_seed(secrets.randbits(63)), torch.Generator(device=device).manual_seed(secrets.randbits(63))',
  ];
}

function opacusMain(config: RunConfig): string[] {
  const p = config.privacy;
  const builtIn = p.clipping === 'abadi' && p.style === 'flat';
  const lines = [
    '',
    'def clip_factors(norms, bound):',
    '    """Per-sample factors C_i from gradient norms (the playground\'s src/dp/clip.ts)."""',
    "    if CLIPPING == 'abadi':",
    '        return (bound / (norms + 1e-6)).clamp(max=1.0)',
    "    if CLIPPING == 'global':",
    '        return (norms <= bound).to(norms.dtype)',
    "    if CLIPPING == 'auto-s':",
    '        return bound / (norms + GAMMA)',
    '    return torch.where(norms > 0, bound / norms.clamp(min=1e-12), torch.zeros_like(norms))  # auto-v',
    '',
    '',
    'def use_playground_clipping(optimizer, groups):',
    '    """Replace Opacus\'s Abadi clipping by CLIPPING / CLIPPING_STYLE. `groups` names the layer of',
    '    each parameter, in optimizer order. The noise Opacus adds stays sigma * max_grad_norm, and',
    '    max_grad_norm is SENSITIVITY, the bound on every clipped gradient\'s norm."""',
    '    layers = list(dict.fromkeys(groups))',
    '',
    '    def clip_and_accumulate(self):',
    '        samples = self.grad_samples',
    '        if len(samples[0]) == 0:  # an empty Poisson batch: nothing to clip, the noise is still added',
    '            factors = [samples[0].new_zeros(0)] * len(samples)',
    '        else:',
    '            sq = [g.reshape(len(g), -1).pow(2).sum(1) for g in samples]',
    "            if CLIPPING_STYLE == 'flat':",
    '                factors = [clip_factors(torch.stack(sq, 1).sum(1).sqrt(), SENSITIVITY)] * len(samples)',
    '            else:',
    '                bound = SENSITIVITY / math.sqrt(len(layers))',
    '                per_layer = {name: clip_factors(sum(s for s, g in zip(sq, groups) if g == name).sqrt(), bound) for name in layers}',
    '                factors = [per_layer[g] for g in groups]',
    '        for param, grad_sample, factor in zip(self.params, samples, factors):',
    "            grad = torch.einsum('i,i...->...', factor, grad_sample)",
    '            param.summed_grad = grad if param.summed_grad is None else param.summed_grad + grad',
    '            _mark_as_processed(param.grad_sample)',
    '',
    '    optimizer.clip_and_accumulate = types.MethodType(clip_and_accumulate, optimizer)',
    '',
    '',
    ...opacusGenerators(p.secureNoise),
    '',
    '',
    'def main():',
    '    torch.manual_seed(SEED)',
    "    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')",
    '    train, test = load_data()',
    '    model = build_model().to(device)',
    '    groups = [name.rsplit(".", 1)[0] for name, prm in model.named_parameters() if prm.requires_grad]',
    '    sampling_rng, noise_rng = private_generators(device)',
    "    # Opacus's building blocks, wired as PrivacyEngine.make_private wires them, but with the playground's",
    '    # q = B / N: make_private derives q = 1 / len(loader) = 1 / ceil(N / B) from a DataLoader.',
    '    loader = DPDataLoader(train, sample_rate=SAMPLE_RATE, generator=sampling_rng)',
    ...(p.noise.mode === 'sigma'
      ? ['    noise_multiplier = NOISE_MULTIPLIER']
      : [
          '    noise_multiplier = get_noise_multiplier(',
          '        target_epsilon=TARGET_EPSILON, target_delta=DELTA, sample_rate=SAMPLE_RATE, steps=STEPS, accountant=ACCOUNTANT',
          '    )',
          "    print(f'sigma = {noise_multiplier:.4f} (Opacus calibration for epsilon = {TARGET_EPSILON}, delta = {DELTA})')",
        ]),
    '    model = GradSampleModule(model)',
    '    optimizer = DPOptimizer(',
    '        make_optimizer(model),',
    '        noise_multiplier=noise_multiplier,',
    '        max_grad_norm=SENSITIVITY,',
    '        expected_batch_size=BATCH_SIZE,',
    "        loss_reduction='mean',",
    '        generator=noise_rng,',
    ...(p.secureNoise ? ['        secure_mode=SECURE_MODE,'] : []),
    '    )',
    '    accountant = create_accountant(ACCOUNTANT)',
    '    optimizer.attach_step_hook(accountant.get_optimizer_hook_fn(sample_rate=SAMPLE_RATE))',
    builtIn
      ? "    # Abadi clipping over all layers is Opacus's own (flat) clipping; nothing to replace."
      : '    use_playground_clipping(optimizer, groups)',
    '    step = 0',
    '    while step < STEPS:',
    '        for x, y in loader:  # Poisson batches; an empty one still adds the noise, as the accountant counts it',
    '            optimizer.zero_grad()',
    '            loss = F.cross_entropy(model(x.to(device)), y.to(device).long())',
    '            loss.backward()',
    '            optimizer.step()',
    '            step += 1',
    ...LOG_STEP,
    '                eps = accountant.get_epsilon(DELTA)',
    "                print(f'step {step}/{STEPS}  loss {loss.item():.4f}  test acc {acc:.4f}  test loss {test_loss:.4f}  epsilon {eps:.4f}')",
    '            if step >= STEPS:',
    '                break',
    "    print(f'done: epsilon = {accountant.get_epsilon(DELTA):.4f} at delta = {DELTA} ({ACCOUNTANT}) after {step} steps')",
    '',
  ];
  return lines;
}

/** fastDP: a generator for sampling; its noise comes from PyTorch's global generators, which are reseeded here. */
function fastdpGenerators(secure: boolean): string[] {
  if (!secure) {
    return [
      'def private_generators():',
      '    """The generator for Poisson sampling, and PyTorch\'s global generators, from which fastDP draws its',
      '    noise, seeded from SEED because the run config has secure randomness off: reproducible, and NOT',
      "    private against anyone who knows SEED (it travels in the run config and the playground's URL).",
      '    For teaching and debugging only."""',
      SEEDED_WARNING,
      '    torch.manual_seed(SEED + 2)',
      '    return torch.Generator().manual_seed(SEED + 1)',
    ];
  }
  return [
    'def private_generators():',
    '    """The generator for Poisson sampling, and PyTorch\'s global generators, from which fastDP draws its',
    "    noise (secure randomness): all reseeded with 63 bits each from the operating system's CSPRNG, so",
    "    nothing here derives from SEED, which only initialised the model. These are PyTorch's generators",
    '    (Mersenne Twister on the CPU, Philox on a GPU), unpredictable without their seeds though not',
    '    cryptographic themselves; fastDP has no secure mode of its own."""',
    '    torch.manual_seed(secrets.randbits(63))',
    '    return torch.Generator().manual_seed(secrets.randbits(63))',
  ];
}

function fastdpMain(config: RunConfig): string[] {
  const p = config.privacy;
  const fn = p.clipping === 'abadi' ? 'Abadi' : p.clipping === 'global' ? 'global' : 'automatic';
  const stability = p.clipping === 'auto-s' ? 'GAMMA' : p.clipping === 'auto-v' ? '1e-6' : 'None';
  return [
    '',
    'def batches(n, generator):',
    '    """Index batches, STEPS of them, by Poisson sampling (each example independently with q =',
    '    SAMPLE_RATE), as the accountant assumes. A batch can be empty."""',
    '    for _ in range(STEPS):',
    '        yield (torch.rand(n, generator=generator) < SAMPLE_RATE).nonzero().flatten()',
    '',
    '',
    'def noise_only_step(privacy_engine, optimizer):',
    '    """An empty Poisson batch is still a step of the mechanism: release the noise alone (a zero clipped',
    '    sum plus noise), as the accountant counts it. Skipping it would change what was released."""',
    '    for _, param in privacy_engine.named_params:',
    '        param.summed_clipped_grad = torch.zeros_like(param)',
    '    optimizer.step()',
    '    optimizer.zero_grad()',
    '',
    '',
    ...fastdpGenerators(p.secureNoise),
    '',
    '',
    'def main():',
    '    torch.manual_seed(SEED)',
    "    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')",
    '    train, test = load_data()',
    '    x_all, y_all = next(iter(DataLoader(train, batch_size=len(train))))',
    '    model = build_model().to(device)',
    '    optimizer = make_optimizer(model)',
    '    privacy_engine = PrivacyEngine(',
    '        model,',
    '        batch_size=BATCH_SIZE,',
    '        sample_size=len(train),',
    '        epochs=EPOCHS,',
    p.noise.mode === 'sigma' ? '        noise_multiplier=NOISE_MULTIPLIER,' : '        target_epsilon=TARGET_EPSILON,',
    '        target_delta=DELTA,',
    '        accounting_mode=ACCOUNTING_MODE,',
    '        max_grad_norm=SENSITIVITY,',
    `        clipping_fn=${pyStr(fn)},`,
    "        clipping_mode='MixOpt',",
    `        clipping_style=${pyStr(p.style === 'flat' ? 'all-layer' : 'layer-wise')},`,
    `        numerical_stability_constant=${stability},${p.clipping === 'auto-v' ? '  # AUTO-V: automatic clipping with a vanishing constant' : ''}`,
    "        loss_reduction='mean',",
    '    )',
    '    privacy_engine.attach(optimizer)',
    "    print(f'sigma = {privacy_engine.noise_multiplier:.4f}')",
    '    sampling_rng = private_generators()  # after build_model (which used SEED), before any noise',
    "    step, loss = 0, torch.tensor(float('nan'))",
    '    for idx in batches(len(train), sampling_rng):',
    '        step += 1',
    '        if len(idx) == 0:',
    '            noise_only_step(privacy_engine, optimizer)',
    '        else:',
    '            loss = F.cross_entropy(model(x_all[idx].to(device)), y_all[idx].to(device))',
    '            loss.backward()',
    '            optimizer.step()',
    '            optimizer.zero_grad()',
    ...LOG_STEP.map((l) => l.slice(4)),
    "            print(f'step {step}/{STEPS}  loss {loss.item():.4f}  test acc {acc:.4f}  test loss {test_loss:.4f}')",
    "    print('done:', privacy_engine.get_privacy_spent())",
    '',
  ];
}
