/** The script's top: the docstring that says what it trains and how, the imports, and the run config as constants. */
import { pyDocstring, pyFloat, pyInt, pyStr } from '../python';
import { dataDescription } from './data';
import type { ModelLayers } from './model';
import type { ExportPlan } from './plan';
import { randomnessParagraph, seedNote } from './randomness';
import type { Trainer } from './training';

/** A number for prose: 6 significant digits, ∞ for an unbounded ε; NaN is refused. */
function sig6(x: number, what: string): string {
  if (x === Infinity) return '∞';
  return Number(pyFloat(x, what)).toPrecision(6);
}

/** The clipping function in words, from its entry in src/clipping/functions.ts. */
function clippingWords(plan: ExportPlan): string {
  const fn = plan.clipping;
  return `${fn.label}: ${fn.formula}${fn.usesR ? '' : ', sensitivity 1'}`;
}

/** The shebang and the module docstring: data, model, optimizer, privacy numbers, randomness, requirements. */
export function header(plan: ExportPlan, model: ModelLayers, trainer: Trainer): string[] {
  const { config, info, noise, steps } = plan;
  const { train, privacy: p } = config;
  const about: string[] = [
    `${trainer.title}, exported from AutoClip Playground.`,
    '',
    `Data: ${dataDescription(plan)} (${pyInt(info.trainSize)} train / ${pyInt(info.testSize)} test)`,
    `Model: ${model.description}`,
    `Optimizer: ${train.optimizer}, lr ${pyFloat(train.learningRate)}, batch ${pyInt(train.batchSize)}, ${pyFloat(train.epochs)} epochs = ${pyInt(steps)} steps`,
  ];
  if (noise) {
    about.push(
      `Privacy: ${clippingWords(plan)} (${p.style === 'flat' ? 'all layers together' : 'layer-wise'}), Poisson sampling q = B / N = ${pyFloat(noise.sampleRate)},`,
      `  σ = ${sig6(noise.sigma, 'σ')} ${noise.targetEpsilon === null ? '(fixed)' : `(the playground's calibration for ε = ${pyFloat(noise.targetEpsilon)})`}, δ = ${pyFloat(noise.delta)}:`,
      `  on these ${pyInt(info.trainSize)} examples the playground's ${noise.accountant} accountant gives ε = ${sig6(noise.epsilon, 'ε')} after ${pyInt(noise.steps)} steps.`,
    );
    if (p.sampling === 'shuffle')
      about.push('  The playground run used shuffled fixed-size batches; this script samples as the accountant assumes (Poisson).');
    about.push(...randomnessParagraph(plan.secure));
  } else {
    about.push('Privacy: none (the run config has privacy turned off): plain training, no clipping, no noise.');
  }
  const requirements = [
    'torch',
    ...(config.data.source === 'mnist' && plan.dataset === 'source' ? ['torchvision'] : []),
    'numpy',
    ...trainer.requirements,
    ...(train.optimizer === 'lamb' ? ['torch-optimizer'] : []),
  ];
  about.push('', `Requirements: pip install ${requirements.join(' ')}`);
  if (trainer.installNote) about.push(trainer.installNote);
  return ['#!/usr/bin/env python3', ...pyDocstring(about)];
}

/** Standard library, then numpy and torch, then the trainer's library. */
export function imports(plan: ExportPlan, trainer: Trainer): string[] {
  const stdlib = ['math', ...(plan.usesNpz ? ['os', 'sys'] : []), ...(plan.secure ? ['secrets'] : []), ...trainer.stdlib].sort();
  return [
    ...stdlib.map((m) => `import ${m}`),
    '',
    'import numpy as np',
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    'from torch.utils.data import DataLoader, TensorDataset',
    ...trainer.imports,
  ];
}

/** The run config as NAME = value constants, every value through ../python.ts. */
export function constants(plan: ExportPlan, trainer: Trainer): string[] {
  const { config, info, noise, steps } = plan;
  const { train, privacy: p, seed } = config;
  const lines = [
    '# The run config, in one place.',
    `SEED = ${pyInt(seed)}  # ${seedNote(plan)}`,
    `TRAIN_SIZE = ${pyInt(info.trainSize)}`,
    `TEST_SIZE = ${pyInt(info.testSize)}`,
    `BATCH_SIZE = ${pyInt(train.batchSize)}  # expected batch size B`,
    ...(noise ? ['SAMPLE_RATE = BATCH_SIZE / TRAIN_SIZE  # Poisson sampling rate q = B / N, as the playground'] : []),
    `EPOCHS = ${pyFloat(train.epochs)}`,
    `STEPS = ${pyInt(steps)}  # floor(EPOCHS * TRAIN_SIZE / BATCH_SIZE), as the playground counts them`,
    `LEARNING_RATE = ${pyFloat(train.learningRate)}`,
    ...(train.optimizer === 'sgd' ? [`MOMENTUM = ${pyFloat(train.momentum)}`] : []),
    `WEIGHT_DECAY = ${pyFloat(train.weightDecay)}`,
    `EVAL_EVERY = ${pyInt(train.evalEvery)}`,
  ];
  if (!noise) return lines;
  const automatic = !plan.clipping.usesR;
  return [
    ...lines,
    `CLIPPING = ${pyStr(p.clipping)}  # ${clippingWords(plan)}`,
    `CLIPPING_STYLE = ${pyStr(p.style)}  # 'flat' = all layers together; 'layer-wise' = each layer gets R / sqrt(K)`,
    `MAX_GRAD_NORM = ${pyFloat(p.maxGradNorm)}  # R${automatic ? ' (not used by automatic clipping)' : ''}`,
    `GAMMA = ${pyFloat(p.gamma)}  # AUTO-S stability constant`,
    `SENSITIVITY = ${pyFloat(plan.sensitivity)}  # ${automatic ? 'automatic clipping: every clipped gradient has norm < 1' : 'R'}; noise std = sigma * SENSITIVITY`,
    noise.targetEpsilon === null
      ? `NOISE_MULTIPLIER = ${pyFloat(noise.sigma)}  # sigma`
      : `TARGET_EPSILON = ${pyFloat(noise.targetEpsilon)}  # sigma is calibrated for it (the playground's calibration gives ${sig6(noise.sigma, 'σ')})`,
    `DELTA = ${pyFloat(noise.delta)}`,
    ...trainer.constants,
  ];
}
