import { useRef, useState } from 'react';
import { parseRunConfig } from '../config/runConfig';
import { usePlayground } from './storeContext';

/** Largest config file we read: configs are a few hundred bytes; anything bigger is not one. */
const MAX_CONFIG_BYTES = 256 * 1024;

/**
 * Download the draft as run.json (the file `autoclip train --config` reads) and load one back.
 * A file that does not validate is refused with the schema's messages; the draft stays as it was.
 */
export function ConfigFileMenu() {
  const draft = usePlayground((s) => s.draft);
  const setDraft = usePlayground((s) => s.setDraft);
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);

  const download = () => {
    const blob = new Blob([JSON.stringify(draft, null, 2) + '\n'], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = 'run.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const load = async (file: File) => {
    if (file.size > MAX_CONFIG_BYTES) {
      setError(`${file.name}: ${file.size} bytes is too large for a run config (limit ${MAX_CONFIG_BYTES / 1024} KiB)`);
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
      setError(`${file.name}: it uses an imported dataset, which only exists in the browser that imported it; import the data files first.`);
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
      {error && (
        <p className="field-error" role="alert" data-testid="config-file-error">
          {error}
        </p>
      )}
    </div>
  );
}
