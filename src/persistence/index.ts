/** Saved runs: IndexedDB repository, JSON/CSV exchange, and the shapes they share. */
export { DB_NAME, METRICS_CHUNK_SIZE, MIGRATIONS, SCHEMA_VERSION, RunRepository, openRunRepository } from './runRepository';
export type { Migration, OpenOptions } from './runRepository';
export {
  EXCHANGE_FORMAT,
  EXCHANGE_VERSION,
  MAX_IMPORT_CHARS,
  MAX_IMPORT_RUNS,
  METRICS_CSV_COLUMNS,
  RunsImportError,
  exportRunsJson,
  importRunsJson,
  metricsCsv,
} from './exchange';
export { PersistenceError } from './errors';
export type { PersistenceErrorCode } from './errors';
export type { RunMetaInput, StoredCheckpoint, StoredRun, StoredRunMeta } from './types';
