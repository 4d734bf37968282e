/** The script's model and optimizer: build_model() as src/model builds the preset, make_optimizer(model). */
import type { RunConfig } from '../../config/runConfig';
import type { ExportDataInfo } from '../dataInfo';
import { ExportError } from '../exportError';
import { pyInt } from '../python';
import { pyFunction } from './lines';

const ACT: Record<string, string> = { relu: 'nn.ReLU()', tanh: 'nn.Tanh()', sigmoid: 'nn.Sigmoid()' };

function layers(...code: string[]): Layer[] {
  return code.map((c) => ({ code: c }));
}

/** TF 'same' padding along one axis: [before, after] (the extra one goes after). */
function samePadding(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function convOut(size: number, kernel: number, stride: number): number {
  return Math.floor((size - kernel) / stride) + 1;
}

/** One nn.Sequential entry: a Python expression, and a comment for the end of its line. */
export interface Layer {
  code: string;
  comment?: string;
}

export interface ModelLayers {
  layers: Layer[];
  /** One line for the header. */
  description: string;
}

/** The preset's layers for inputs of `info.inputShape`; throws for a CNN on non-image data or images too small for it. */
export function modelLayers(model: RunConfig['model'], info: ExportDataInfo): ModelLayers {
  const inFeatures = pyInt(
    info.inputShape.reduce((a, b) => a * b, 1),
    'the input size',
  );
  const C = pyInt(info.numClasses, 'data numClasses');
  switch (model.preset) {
    case 'logistic':
      return {
        layers: layers('nn.Flatten()', `nn.Linear(${inFeatures}, ${C})`),
        description: `logistic regression (${inFeatures} → ${C})`,
      };
    case 'mlp': {
      const lines = ['nn.Flatten()'];
      let d = inFeatures;
      for (const width of model.hidden) {
        const h = pyInt(width, 'model.hidden');
        lines.push(`nn.Linear(${d}, ${h})`, ACT[model.activation]);
        d = h;
      }
      lines.push(`nn.Linear(${d}, ${C})`);
      return {
        layers: layers(...lines),
        description: `MLP ${[inFeatures, ...model.hidden.map((h) => pyInt(h)), C].join(' → ')}, ${model.activation}`,
      };
    }
    case 'cnn': {
      if (info.inputShape.length !== 3)
        throw new ExportError(`the cnn preset needs image inputs [H, W, C], got [${info.inputShape.join(', ')}]`);
      const [H, W, Cin] = info.inputShape;
      const act = ACT[model.activation];
      const [pt, pb] = samePadding(H, 8, 2).map((x) => pyInt(x));
      const [pl, pr] = samePadding(W, 8, 2).map((x) => pyInt(x));
      const firstConv: Layer[] =
        pt === pb && pl === pr
          ? layers(`nn.Conv2d(${pyInt(Cin)}, 16, kernel_size=8, stride=2, padding=(${pt}, ${pl}))`)
          : [
              { code: `nn.ZeroPad2d((${pl}, ${pr}, ${pt}, ${pb}))`, comment: "TF 'same' padding" },
              ...layers(`nn.Conv2d(${pyInt(Cin)}, 16, kernel_size=8, stride=2)`),
            ];
      const lines: string[] = [];
      let h = Math.ceil(H / 2);
      let w = Math.ceil(W / 2);
      lines.push(act, 'nn.MaxPool2d(2, stride=1)');
      h -= 1;
      w -= 1;
      lines.push('nn.Conv2d(16, 32, kernel_size=4, stride=2)', act, 'nn.MaxPool2d(2, stride=1)');
      h = convOut(h, 4, 2) - 1;
      w = convOut(w, 4, 2) - 1;
      if (!(h >= 1 && w >= 1)) throw new ExportError(`images of ${H}×${W} are too small for the cnn preset`);
      lines.push('nn.Flatten()', `nn.Linear(${pyInt(32 * h * w)}, 32)`, act, `nn.Linear(32, ${C})`);
      return {
        layers: [...firstConv, ...layers(...lines)],
        description: `CNN conv8×8/16 s2 → maxpool2 s1 → conv4×4/32 s2 → maxpool2 s1 → dense 32 → ${C}, ${model.activation}`,
      };
    }
  }
}

/** build_model(): nn.Sequential of `layers`, initialised as the playground initialises its models. */
export function buildModel(model: ModelLayers): string[] {
  return pyFunction('build_model()', [
    'model = nn.Sequential(',
    ...model.layers.map((l) => `    ${l.code},${l.comment ? `  # ${l.comment}` : ''}`),
    ')',
    '# Glorot-uniform weights and zero biases, as the playground initialises them.',
    'for m in model.modules():',
    '    if isinstance(m, (nn.Linear, nn.Conv2d)):',
    '        nn.init.xavier_uniform_(m.weight)',
    '        nn.init.zeros_(m.bias)',
    'return model',
  ]);
}

/** make_optimizer(model): the config's optimizer with LEARNING_RATE, WEIGHT_DECAY (and MOMENTUM for SGD). */
export function makeOptimizer(train: RunConfig['train']): string[] {
  return pyFunction('make_optimizer(model)', OPTIMIZERS[train.optimizer]);
}

const OPTIMIZERS: Record<RunConfig['train']['optimizer'], string[]> = {
  sgd: ['return torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)'],
  adam: ['return torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8, weight_decay=WEIGHT_DECAY)'],
  adamw: ['return torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8, weight_decay=WEIGHT_DECAY)'],
  lamb: [
    '# LAMB is not in torch.optim; torch-optimizer has one (pip install torch-optimizer).',
    'from torch_optimizer import Lamb',
    '',
    'return Lamb(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-6, weight_decay=WEIGHT_DECAY)',
  ],
};
