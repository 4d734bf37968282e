/** `autoclip export`: a run config as a runnable Opacus or fastDP training script. */
import { stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readMnistSplit } from '../../src/data/node';
import { scriptWithPlaygroundData } from '../../src/export/bundle';
import { EXPORT_DATASETS, exportDataInfo, type ExportDataset } from '../../src/export/dataInfo';
import { ExportError } from '../../src/export/exportError';
import { EXPORT_TARGETS, pytorchScript, type ExportTarget } from '../../src/export/pytorch';
import { EXIT_OK, requireFlag, UsageError } from '../args';
import type { Command } from '../command';
import { flagsUnlessHelp } from '../command';
import { readRunConfig } from '../config';

const HELP = `Usage: autoclip export --config run.json --to opacus|fastdp [--data source|playground] [--out train.py]

Writes a PyTorch training script for a run config (the playground's "Download config" file): the
same model, data, Poisson sampling (q = B/N), optimizer, learning rate, batch size, epochs, clipping
(Abadi / AUTO-S / AUTO-V / global, flat or layer-wise) and σ or target ε with δ.

  --config FILE       run config
  --to opacus|fastdp  Opacus (pytorch/opacus; AUTO-S and other non-Abadi clipping is added to its
                      optimizer by the script) or fastDP (awslabs/fast-differential-privacy,
                      clipping_fn='automatic' | 'Abadi' | 'global', clipping_mode='MixOpt')
  --data source       (default) MNIST: all of torchvision's 60,000 / 10,000 digits (downloaded on
                      the first run); synthetic sets: regenerated in numpy (same shapes, another
                      random stream)
  --data playground   the playground's exact examples (MNIST: its embedded 8,000 / 2,000 digits),
                      written as an .npz beside the script, which reads it offline; needs --out
  --out FILE          write the script to FILE instead of stdout
  -h, --help          show this help

With secure randomness on in the config (privacy.secureNoise), sampling and noise in the script never
derive from the config's seed; with it off they do, and the script says it is not private against
anyone who knows the seed. Configs of imported datasets cannot be exported from the command line
(their data and sizes are known only in the browser session that imported them).`;

function isTarget(v: string): v is ExportTarget {
  return (EXPORT_TARGETS as readonly string[]).includes(v);
}

function isDataset(v: string): v is ExportDataset {
  return (EXPORT_DATASETS as readonly string[]).includes(v);
}

/** A config the generator cannot write a script for is a usage error naming the field. */
function asUsageError(e: unknown): unknown {
  if (!(e instanceof ExportError)) return e;
  return new UsageError(e.reason.startsWith('invalid config: ') ? e.reason : `invalid config: ${e.reason}`);
}

async function write(path: string, bytes: string | Uint8Array): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot write '${path}': ${code === 'ENOENT' ? 'no such directory' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(e)}`,
    );
  }
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'write an Opacus or fastDP (PyTorch) training script for a run config',
  help: HELP,
  async run(argv, io) {
    const values = flagsUnlessHelp(
      argv,
      {
        config: { type: 'string' },
        to: { type: 'string' },
        data: { type: 'string' },
        out: { type: 'string' },
      },
      HELP,
      io,
    );
    if (values === null) return EXIT_OK;
    const configPath = requireFlag(values, 'config');
    const to = requireFlag(values, 'to');
    if (!isTarget(to)) throw new UsageError(`--to must be one of ${EXPORT_TARGETS.join(', ')}, got '${to}'`);
    const dataset = values.data === undefined ? 'source' : String(values.data);
    if (!isDataset(dataset)) throw new UsageError(`--data must be one of ${EXPORT_DATASETS.join(', ')}, got '${dataset}'`);
    const out = values.out === undefined ? undefined : String(values.out);
    if (out === '') throw new UsageError('--out needs a file name');
    if (dataset === 'playground' && out === undefined)
      throw new UsageError('--data playground needs --out FILE: the data file is written beside the script');
    if (out !== undefined && (await stat(out).catch(() => null))?.isDirectory())
      throw new UsageError(`--out '${out}' is a directory; give a file name`);
    const config = await readRunConfig(configPath);
    if (!exportDataInfo(config.data)) {
      throw new UsageError(
        "invalid config: data.source 'imported' cannot be exported from the CLI (its sizes are known only in the browser session); use the playground's Export to PyTorch",
      );
    }
    if (dataset === 'source') {
      let script: string;
      try {
        script = pytorchScript(config, to);
      } catch (e) {
        throw asUsageError(e);
      }
      if (out === undefined) io.out(script.replace(/\n$/, ''));
      else await write(out, script);
      return EXIT_OK;
    }
    let bundle;
    try {
      bundle = await scriptWithPlaygroundData(config, to, { mnist: () => readMnistSplit() });
    } catch (e) {
      throw asUsageError(e);
    }
    const dataPath = join(dirname(out!), bundle.data.name);
    if (basename(out!) === bundle.data.name)
      throw new UsageError(`--out '${out}' would be overwritten by the data file; choose another name`);
    await write(dataPath, bundle.data.bytes);
    await write(out!, bundle.script);
    io.err(`wrote ${out} and, beside it, ${dataPath} (${(bundle.data.bytes.length / 1048576).toFixed(1)} MiB)`);
    return EXIT_OK;
  },
};
