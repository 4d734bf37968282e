/** main(): load the data, set up the trainer, then the training loop, written once for every trainer. */
import { progressReport } from './evaluation';
import { indent, pyFunction, type Lines } from './lines';

/**
 * What differs between the plain, Opacus and fastDP scripts. Everything else (header, constants,
 * data, model, optimizer, evaluation, main's start and the loop itself) is shared.
 */
export interface Trainer {
  /** The header's first words: what kind of training, with which library. */
  title: string;
  /** Standard-library modules it needs beyond math, os, sys and secrets. */
  stdlib: string[];
  /** Its library's imports, after torch's. */
  imports: Lines;
  /** Constants after the privacy settings. */
  constants: Lines;
  /** Top-level functions defined before main(). */
  helpers: Lines[];
  /** main()'s lines between load_data() and the loop: model, optimizer, sampler, privacy engine. */
  setup: Lines;
  loop: TrainingLoop;
  /** pip packages beyond torch, torchvision and numpy. */
  requirements: string[];
  /** A line on installing what pip cannot name. */
  installNote?: string;
}

export interface TrainingLoop {
  /**
   * How the STEPS steps get their batches. 'loader': (x, y) batches from `loader`, cycled until STEPS
   * steps. 'indices': `batches(len(train), sampling_rng)` yields STEPS index batches into x_all and
   * y_all; an empty one is still a step, taken by `emptyBatch`.
   */
  batches: { from: 'loader'; comment?: string } | { from: 'indices'; emptyBatch: Lines };
  /** A Python expression for ε so far, shown with the test accuracy; none when it is not tracked while training. */
  epsilon?: string;
  /** main()'s last lines: what was spent. */
  done: Lines;
}

/** def main(), the shared start, the trainer's setup and the training loop. */
export function mainFunction(trainer: Trainer): string[] {
  return pyFunction('main()', [
    'torch.manual_seed(SEED)',
    "device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')",
    'train, test = load_data()',
    ...trainer.setup,
    ...trainingLoop(trainer.loop),
    ...trainer.loop.done,
  ]);
}

function trainingLoop(loop: TrainingLoop): string[] {
  const progress = progressReport(loop.epsilon);
  const { batches } = loop;
  if (batches.from === 'loader') {
    return [
      'step = 0',
      'while step < STEPS:',
      ...indent([
        `for x, y in loader:${batches.comment ? `  # ${batches.comment}` : ''}`,
        ...indent([...gradientStep('x', 'y'), 'step += 1', ...progress, 'if step >= STEPS:', '    break']),
      ]),
    ];
  }
  return [
    "step, loss = 0, torch.tensor(float('nan'))",
    'for idx in batches(len(train), sampling_rng):',
    ...indent([
      'step += 1',
      'if len(idx) == 0:',
      ...indent(batches.emptyBatch),
      'else:',
      ...indent(gradientStep('x_all[idx]', 'y_all[idx]')),
      ...progress,
    ]),
  ];
}

/** One optimizer step on the batch (x, y). */
function gradientStep(x: string, y: string): string[] {
  return [
    'optimizer.zero_grad()',
    `loss = F.cross_entropy(model(${x}.to(device)), ${y}.to(device).long())`,
    'loss.backward()',
    'optimizer.step()',
  ];
}
