/**
 * The one error type the data layer throws for bad input. `code` is for programs (the UI picks a
 * message or a test asserts the cause); `message` is for people and names the file and the problem.
 */
export type DatasetErrorCode =
  | 'empty-file'
  | 'bad-magic'
  | 'bad-header'
  | 'truncated'
  | 'trailing-bytes'
  | 'count-mismatch'
  | 'label-out-of-range'
  | 'too-large'
  | 'mixed-shapes'
  | 'ragged-row'
  | 'non-numeric'
  | 'missing-label-column'
  | 'unknown-format'
  | 'mixed-formats'
  | 'corrupt'
  | 'unpaired-file'
  | 'duplicate-file'
  | 'bad-gzip'
  | 'bad-options'
  | 'io';

export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  readonly code: DatasetErrorCode;
  /** The file the problem is in, when there is one. */
  readonly file: string | undefined;

  constructor(code: DatasetErrorCode, message: string, file?: string) {
    super(file === undefined ? message : `${file}: ${message}`);
    this.code = code;
    this.file = file;
  }
}

export function isDatasetError(e: unknown): e is DatasetError {
  return e instanceof DatasetError;
}

/** A plain, structured-clone-safe description of a failure, for posting from the worker to the UI. */
export interface DatasetErrorInfo {
  readonly code: DatasetErrorCode | 'internal';
  readonly message: string;
  readonly file?: string;
}

/** DatasetErrors keep their code and file; anything else (a bug) becomes 'internal'. */
export function toDatasetErrorInfo(e: unknown): DatasetErrorInfo {
  if (e instanceof DatasetError)
    return e.file === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, file: e.file };
  return { code: 'internal', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}
