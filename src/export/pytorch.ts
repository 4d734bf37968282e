/**
 * "Export to PyTorch": a runnable training script for a run config, for Opacus
 * (github.com/pytorch/opacus) or fastDP (github.com/awslabs/fast-differential-privacy), with the
 * same model, data, sampling, optimizer, clipping and privacy numbers. Pure string generation: the
 * `autoclip export` CLI and the playground's export buttons both call `pytorchScript`.
 *
 * The config is planned once (./script/plan.ts: validated, sizes, and q, steps, σ, ε from
 * src/privacy/resolveNoise.ts, the clipping function from src/clipping/functions.ts), then the script
 * is written section by section (./script/*): header, imports, constants, data, model and optimizer,
 * evaluation, the trainer's helpers (./script/opacus.ts, ./script/fastdp.ts, ./script/plain.ts) and
 * main() with the one training loop (./script/training.ts).
 *
 * - Model presets become nn.Sequential with Glorot-uniform weights and zero biases (as src/model);
 *   the CNN's 'same' padding of the stride-2 8×8 conv is TF's (extra row/column at the end).
 * - Data: MNIST is all of torchvision's (60,000 / 10,000) by default; with `dataset: 'playground'`
 *   the script reads the playground's exact examples from an .npz (./playgroundData.ts).
 *
 * Every value enters the script through ./python.ts (pyStr, pyFloat, pyInt); no user string goes
 * into a docstring or a comment.
 */
import type { RunConfig } from '../config/runConfig';
import { dataSection } from './script/data';
import { fastdpTrainer } from './script/fastdp';
import { constants, header, imports } from './script/header';
import { topLevel } from './script/lines';
import { buildModel, makeOptimizer, modelLayers } from './script/model';
import { opacusTrainer } from './script/opacus';
import { PLAIN_TRAINER } from './script/plain';
import { planExport, type ExportOptions, type ExportPlan, type ExportTarget } from './script/plan';
import { EVALUATE } from './script/evaluation';
import { mainFunction, type Trainer } from './script/training';

export { EXPORT_TARGETS, type ExportOptions, type ExportTarget } from './script/plan';

function trainerFor(plan: ExportPlan): Trainer {
  if (!plan.noise) return PLAIN_TRAINER;
  return plan.target === 'opacus' ? opacusTrainer(plan) : fastdpTrainer(plan);
}

/**
 * A complete Python script training `config` with Opacus or fastDP. Throws for a config that does not
 * validate, and for one the script cannot express (an imported dataset without `options.data`, a CNN
 * on non-image data, the playground's data of an imported set).
 */
export function pytorchScript(config: RunConfig, target: ExportTarget, options: ExportOptions = {}): string {
  const plan = planExport(config, target, options);
  const model = modelLayers(plan.config.model, plan.info);
  const trainer = trainerFor(plan);
  return [
    ...topLevel(
      [...header(plan, model, trainer), '', ...imports(plan, trainer), '', ...constants(plan, trainer)],
      dataSection(plan),
      buildModel(model),
      makeOptimizer(plan.config.train),
      EVALUATE,
      ...trainer.helpers,
      mainFunction(trainer),
      ["if __name__ == '__main__':", '    main()'],
    ),
    '',
  ].join('\n');
}
