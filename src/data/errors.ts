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
