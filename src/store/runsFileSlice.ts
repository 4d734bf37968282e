import type { CommandSink, SetState } from './sliceTypes';

/** Export and import of the runs saved in this browser, as one JSON document. */
export interface RunsFileSlice {
  /** The last 'Export runs' document from the worker, and the last import problem. */
  runsExport: { text: string; at: number } | null;
  runsImportError: string | null;
  exportRuns(): void;
  importRuns(text: string): void;
}

export function createRunsFileSlice(set: SetState<RunsFileSlice>, sink: CommandSink): RunsFileSlice {
  return {
    runsExport: null,
    runsImportError: null,
    exportRuns: () => sink.send({ type: 'exportRuns' }),
    importRuns(text) {
      set({ runsImportError: null });
      sink.send({ type: 'importRuns', text });
    },
  };
}
