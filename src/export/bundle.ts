/**
 * An exported script together with the playground's exact data: the CLI writes the two files side by
 * side (`autoclip export --data playground --out train.py`), the playground offers them as one .zip.
 */
import type { RunConfig } from '../config/runConfig';
import { loadSplit, type DataProvider } from '../engine/datasets';
import { playgroundDataFileName, playgroundDataNpz } from './playgroundData';
import { pytorchScript, type ExportTarget } from './pytorch';
import { zipStore } from './zip';

export interface ScriptWithData {
  script: string;
  /** The .npz the script reads as DATA_FILE, to be saved beside it. */
  data: { name: string; bytes: Uint8Array };
}

/**
 * The script for `config` reading the playground's own train/test split, and that split as an .npz.
 * The script's sizes come from the split itself, so TRAIN_SIZE, q and ε match the file exactly.
 */
export async function scriptWithPlaygroundData(config: RunConfig, target: ExportTarget, provider: DataProvider): Promise<ScriptWithData> {
  pytorchScript(config, target, { dataset: 'playground' }); // refuses a bad config before any data is loaded
  const split = await loadSplit(config.data, config.seed, provider);
  const t = split.train;
  const data = { trainSize: t.y.length, testSize: split.test.y.length, inputShape: t.inputShape, numClasses: t.numClasses };
  return {
    script: pytorchScript(config, target, { dataset: 'playground', data }),
    data: { name: playgroundDataFileName(config.data, config.seed), bytes: playgroundDataNpz(split) },
  };
}

/** Script and data in one .zip (one download in the browser). */
export function zipScriptWithData(scriptName: string, bundle: ScriptWithData): Uint8Array<ArrayBuffer> {
  return zipStore([
    { name: scriptName, bytes: new TextEncoder().encode(bundle.script) },
    { name: bundle.data.name, bytes: bundle.data.bytes },
  ]);
}
