/**
 * Every failure of the persistence layer is a `PersistenceError` with a code the UI can act on and a
 * message it can show as is.
 */
export type PersistenceErrorCode =
  /** No IndexedDB in this environment (private mode in some browsers, or disabled storage). */
  | 'unavailable'
  /** Another tab keeps an older version of the database open, so this one cannot upgrade it. */
  | 'blocked'
  /** The database on disk was written by a newer version of the app. */
  | 'version'
  /** The connection was closed: another tab upgraded the database, or the browser dropped it. */
  | 'closed'
  /** The browser's storage quota is exhausted; nothing of the failed write was kept. */
  | 'quota'
  /** The record to save does not have the stored shape (a programming error in the caller). */
  | 'invalid'
  /** The run does not exist. */
  | 'not-found'
  /** Any other storage failure (the transaction was aborted; nothing of it was kept). */
  | 'io';

export class PersistenceError extends Error {
  override readonly name = 'PersistenceError';

  constructor(
    readonly code: PersistenceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function errorName(e: unknown): string {
  if (e && typeof e === 'object' && 'name' in e && typeof (e as { name: unknown }).name === 'string') return (e as { name: string }).name;
  return '';
}

function errorMessage(e: unknown): string {
  if (e instanceof Error || (e && typeof e === 'object' && 'message' in e)) return String((e as { message: unknown }).message);
  return String(e);
}

/**
 * Translate what IndexedDB threw (DOMException names per the spec) into a PersistenceError.
 * `action` says what was being done, e.g. "save the checkpoint of run run-1".
 */
export function toPersistenceError(e: unknown, action: string): PersistenceError {
  if (e instanceof PersistenceError) return e;
  const name = errorName(e);
  switch (name) {
    case 'QuotaExceededError':
      return new PersistenceError(
        'quota',
        `Browser storage is full: could not ${action}. Delete or export old runs to free space; nothing of this save was kept.`,
        { cause: e },
      );
    case 'VersionError':
      return new PersistenceError(
        'version',
        `Saved runs were written by a newer version of AutoClip Playground: could not ${action}. Reload the page to get the new version.`,
        { cause: e },
      );
    case 'InvalidStateError':
      return new PersistenceError('closed', `The saved-runs database is closed: could not ${action}. Reload the page.`, { cause: e });
    case 'DataCloneError':
    case 'DataError':
      return new PersistenceError('invalid', `Could not ${action}: the record cannot be stored (${errorMessage(e)}).`, { cause: e });
    default:
      return new PersistenceError('io', `Could not ${action}: ${name ? `${name}: ` : ''}${errorMessage(e)}.`, { cause: e });
  }
}
