import { useRef, useState } from 'react';
import { parseRunConfig } from '../config/runConfig';
import { fetchMnistSplit } from '../data/mnistBrowser';
import { scriptWithPlaygroundData, zipScriptWithData } from '../export/bundle';
import { canWritePlaygroundData } from '../export/playgroundData';
import { pytorchScript, type ExportTarget } from '../export/pytorch';
import { fileTooLargeMessage } from './fileSizeLimit';
import { saveFile } from './saveFile';
import { selectActiveRun, selectDraftSizes } from '../store/selectors';
import { liveConfig } from '../store/runView';
import { sameConfig } from '../store/sameConfig';
import { usePlayground, usePlaygroundStore } from './storeContext';

/** Largest config file we read: configs are a few hundred bytes; anything bigger is not one. */
const MAX_CONFIG_BYTES = 256 * 1024;

/**
 * Download the draft as run.json (the file `autoclip train --config` reads) and load one back.
 * A file that does not validate is refused with the schema's messages; the draft stays as it was.
 */
export function ConfigFileMenu() {
  const draft = usePlayground((s) => s.draft);
  const setDraft = usePlayground((s) => s.setDraft);
  const store = usePlaygroundStore();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [withData, setWithData] = useState(false);
  const canBundle = canWritePlaygroundData(draft.data);
  // run.json and the scripts hold one learning rate: say so when the draft is a run that changed its rate.
  const changedRun = usePlayground((s) => {
    const run = selectActiveRun(s);
    return run?.lrChanges?.length && sameConfig(liveConfig(run), s.draft) ? run : undefined;
  });

  const download = () => saveFile('run.json', JSON.stringify(draft, null, 2) + '\n', 'application/json');

  /**
   * A runnable Opacus or fastDP script with the same σ or target ε, δ, batch, epochs, optimizer, lr;
   * with the playground's data, a .zip of the script and the exact examples it reads offline.
   */
  const exportScript = async (target: ExportTarget) => {
    try {
      if (withData && canBundle) {
        const bundle = await scriptWithPlaygroundData(draft, target, { mnist: () => fetchMnistSplit() });
        saveFile(`train_${target}.zip`, zipScriptWithData(`train_${target}.py`, bundle), 'application/zip');
      } else {
        // An imported set's sizes live only in this browser; built-in sets the export sizes itself.
        const data = draft.data.source === 'imported' ? selectDraftSizes(store.getState()) : null;
        saveFile(`train_${target}.py`, pytorchScript(draft, target, data ? { data } : {}), 'text/x-python');
      }
      setError(null);
    } catch (e) {
      setError(`Export to ${target === 'opacus' ? 'Opacus' : 'fastDP'} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const load = async (file: File) => {
    const tooLarge = fileTooLargeMessage(file, MAX_CONFIG_BYTES, 'a run config');
    if (tooLarge) {
      setError(tooLarge);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (e) {
      setError(`${file.name}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
      return;
    }
    if (json && typeof json === 'object' && (json as { data?: { source?: unknown } }).data?.source === 'imported') {
      setError(
        `${file.name}: it uses an imported dataset, which only exists in the browser that imported it; import the data files first.`,
      );
      return;
    }
    const r = parseRunConfig(json);
    if (!r.ok) {
      setError(`${file.name}: ${r.errors.join('; ')}`);
      return;
    }
    setError(null);
    setDraft(() => r.config);
  };

  return (
    <div className="config-file">
      <button type="button" onClick={download} data-testid="download-config">
        Download config
      </button>
      <button type="button" onClick={() => input.current?.click()}>
        Load config…
      </button>
      <button
        type="button"
        onClick={() => void exportScript('opacus')}
        data-testid="export-opacus"
        title="A PyTorch script for multi-GPU training with Opacus"
      >
        Export to Opacus
      </button>
      <button
        type="button"
        onClick={() => void exportScript('fastdp')}
        data-testid="export-fastdp"
        title="A PyTorch script with fastDP (automatic clipping, book-keeping)"
      >
        Export to fastDP
      </button>
      <label
        title={
          canBundle
            ? "Download a .zip: the script and the playground's exact training and test examples (.npz), read offline. Without it, MNIST scripts train on all of torchvision's MNIST."
            : 'An imported dataset stays on this device: the script reads it from an .npz you save yourself.'
        }
      >
        <input
          type="checkbox"
          checked={withData && canBundle}
          disabled={!canBundle}
          onChange={(e) => setWithData(e.target.checked)}
          data-testid="export-with-data"
        />{' '}
        with the playground’s data
      </label>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        aria-label="Choose a run config file"
        data-testid="load-config-input"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void load(f);
          e.target.value = '';
        }}
      />
      {changedRun?.lrChanges && (
        <p className="help" data-testid="lr-export-note">
          {changedRun.label} changed its learning rate while training (
          {[
            `${changedRun.config.train.learningRate} from step 1`,
            ...changedRun.lrChanges.map((c) => `${c.lr} from step ${c.fromStep}`),
          ].join(', ')}
          ). The config and the scripts use one rate, {draft.train.learningRate} (its latest), for every step: they do not replay the
          schedule, which the runs file keeps.
        </p>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="config-file-error">
          {error}
        </p>
      )}
    </div>
  );
}
