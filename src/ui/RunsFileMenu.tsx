import { useEffect, useRef, useState } from 'react';
import { MAX_IMPORT_CHARS, metricsCsv } from '../persistence/exchange';
import { selectActiveRun } from '../store/selectors';
import { fileTooLargeMessage } from './fileSizeLimit';
import { saveFile } from './saveFile';
import { usePlayground } from './storeContext';

/** Export / import every saved run as JSON, and the active run's metrics as CSV. */
export function RunsFileMenu() {
  const exportRuns = usePlayground((s) => s.exportRuns);
  const importRuns = usePlayground((s) => s.importRuns);
  const runsExport = usePlayground((s) => s.runsExport);
  const workerImportError = usePlayground((s) => s.runsImportError);
  const [sizeError, setSizeError] = useState<string | null>(null);
  const importError = sizeError ?? workerImportError;
  const active = usePlayground(selectActiveRun);
  const input = useRef<HTMLInputElement>(null);
  const lastSaved = useRef(0);

  // The worker answers 'Export runs' with the document; save it once when it arrives.
  useEffect(() => {
    if (runsExport && runsExport.at !== lastSaved.current) {
      lastSaved.current = runsExport.at;
      saveFile('autoclip-runs.json', runsExport.text, 'application/json');
    }
  }, [runsExport]);

  return (
    <div className="config-file" aria-label="Runs files">
      <button type="button" onClick={exportRuns} data-testid="export-runs">
        Export runs (JSON)
      </button>
      <button type="button" onClick={() => input.current?.click()}>
        Import runs…
      </button>
      <button
        type="button"
        disabled={!active || active.metrics.length === 0}
        onClick={() => active && saveFile(`${active.id}-metrics.csv`, metricsCsv(active.metrics), 'text/csv')}
        data-testid="export-metrics-csv"
      >
        Metrics CSV
      </button>
      <input
        ref={input}
        type="file"
        hidden
        accept=".json,application/json"
        aria-label="Choose a runs file to import"
        data-testid="import-runs-input"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) {
            // UTF-8 has at least one byte per character, so a file within the limit in bytes is within it in characters.
            const tooLarge = fileTooLargeMessage(f, MAX_IMPORT_CHARS, 'a runs file');
            setSizeError(tooLarge);
            if (!tooLarge) void f.text().then(importRuns);
          }
          e.target.value = '';
        }}
      />
      {importError && (
        <p className="field-error" role="alert" data-testid="runs-import-error">
          {importError}
        </p>
      )}
    </div>
  );
}
