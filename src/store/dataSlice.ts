import type { DatasetMeta } from '../domain/dataset';
import { newImportId } from './ids';
import type { CommandSink, SetState } from './sliceTypes';

export interface ImportedDataset {
  id: string;
  meta: DatasetMeta;
  format: string;
  notes: string[];
}

export interface DataSlice {
  /** Datasets imported this session (their bytes live in the worker). */
  imported: ImportedDataset[];
  importing: boolean;
  /** Why the last import failed; the previous dataset stays selected. */
  importError: string | null;
  /** Send files to the worker for parsing; on success the new dataset becomes the draft's data. */
  importFiles(files: { name: string; bytes: Uint8Array }[]): void;
}

export function createDataSlice(set: SetState<DataSlice>, sink: CommandSink): DataSlice {
  return {
    imported: [],
    importing: false,
    importError: null,
    importFiles(files) {
      if (files.length === 0) return;
      set({ importing: true, importError: null });
      sink.send({ type: 'importDataset', importId: newImportId(), files });
    },
  };
}
