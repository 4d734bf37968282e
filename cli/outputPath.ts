/**
 * Output files (--out) are checked before any work starts: a run must not train for an hour and then
 * fail to save because the path names a folder or a folder that does not exist.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { UsageError } from './args';

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'ENOTDIR') return 'is inside something that is not a folder';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'is not writable';
  return e instanceof Error ? e.message : String(e);
}

/** Throws a UsageError naming the flag unless `path` can be written as a file (created or replaced). */
export async function checkOutputPath(flag: string, path: string): Promise<void> {
  if (path === '') throw new UsageError(`--${flag} needs a file name`);
  if (path.endsWith('/') || path.endsWith(sep)) throw new UsageError(`--${flag} '${path}' names a folder; give a file name`);
  let existing;
  try {
    existing = await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`--${flag} '${path}' ${reason(e)}`);
  }
  if (existing?.isDirectory()) throw new UsageError(`--${flag} '${path}' is a directory; give a file name`);
  const target = existing ? path : dirname(resolve(path));
  try {
    await access(target, constants.W_OK);
  } catch (e) {
    throw new UsageError(existing ? `--${flag} '${path}' ${reason(e)}` : `--${flag} '${path}': the folder '${target}' ${reason(e)}`);
  }
}
