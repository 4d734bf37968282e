/** `autoclip export`: a run config as a runnable Opacus or fastDP training script. */
import { EXPORT_TARGETS, exportDataInfo, pytorchScript, type ExportTarget } from '../../src/export/pytorch';
import { EXIT_OK, parseFlags, requireFlag, UsageError } from '../args';
import type { Command } from '../command';
import { readRunConfig } from '../config';

const HELP = `Usage: autoclip export --config run.json --to opacus|fastdp > train.py

Writes a PyTorch training script for a run config (the playground's "Download config" file) to
stdout: the same model, data, Poisson sampling, optimizer, learning rate, batch size, epochs,
clipping (Abadi / AUTO-S / AUTO-V / global, flat or layer-wise) and σ or target ε with δ.

  --config FILE       run config
  --to opacus|fastdp  Opacus (pytorch/opacus; AUTO-S and other non-Abadi clipping is added to its
                      optimizer by the script) or fastDP (awslabs/fast-differential-privacy,
                      clipping_fn='automatic' | 'Abadi' | 'global', clipping_mode='MixOpt')
  -h, --help          show this help

Synthetic sets are regenerated in numpy (same shapes, different random stream); MNIST comes from
torchvision, subsampled to the embedded set's 8,000 training digits so that q = B/N is the same.
Configs of imported datasets cannot be exported from the command line (their sizes are known only
in the browser session that imported them).`;

function isTarget(v: string): v is ExportTarget {
  return (EXPORT_TARGETS as readonly string[]).includes(v);
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'write an Opacus or fastDP (PyTorch) training script for a run config',
  help: HELP,
  async run(argv, io) {
    const values = parseFlags(argv, {
      config: { type: 'string' },
      to: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.out(HELP);
      return EXIT_OK;
    }
    const configPath = requireFlag(values, 'config');
    const to = requireFlag(values, 'to');
    if (!isTarget(to)) throw new UsageError(`--to must be one of ${EXPORT_TARGETS.join(', ')}, got '${to}'`);
    const config = await readRunConfig(configPath);
    if (!exportDataInfo(config.data)) {
      throw new UsageError("invalid config: data.source 'imported' cannot be exported from the CLI (its sizes are known only in the browser session); use the playground's Export to PyTorch");
    }
    let script: string;
    try {
      script = pytorchScript(config, to);
    } catch (e) {
      if (e instanceof Error && /^export: |batchSize/.test(e.message)) throw new UsageError(`invalid config: ${e.message.replace(/^export: /, '')}`);
      throw e;
    }
    io.out(script.replace(/\n$/, ''));
    return EXIT_OK;
  },
};
