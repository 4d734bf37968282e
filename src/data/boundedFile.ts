/**
 * Node only (CLI, tests): reads a file only if it is a regular file of at most `maxBytes`, and never
 * reads more than `maxBytes + 1` bytes, so /dev/zero, a FIFO, a huge sparse file or a file that grows
 * while it is read cannot make us hold more than the limit. Callers turn a refusal into their own
 * error (a usage error for config files, a DatasetError for dataset files).
 */
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { concatBytes } from './concat';

export type BoundedRead =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | {
      readonly ok: false;
      readonly problem: 'missing' | 'directory' | 'not-regular' | 'too-large' | 'unreadable';
      /** Why, for people: "no such file", "it is a directory", "it is a character device, not a regular file". */
      readonly detail: string;
      /** Bytes on disk (or at least read), for 'too-large'. */
      readonly size?: number;
    };

function kindOf(s: Stats): string {
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isFIFO()) return 'a named pipe';
  if (s.isSocket()) return 'a socket';
  return 'not a file';
}

function openError(e: unknown): BoundedRead {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, problem: 'missing', detail: 'no such file' };
  if (code === 'EISDIR') return { ok: false, problem: 'directory', detail: 'it is a directory' };
  if (code === 'EACCES' || code === 'EPERM') return { ok: false, problem: 'unreadable', detail: 'permission denied' };
  return { ok: false, problem: 'unreadable', detail: e instanceof Error ? e.message : String(e) };
}

export async function readBoundedFile(path: string, maxBytes: number): Promise<BoundedRead> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused right after, by fstat).
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return openError(e);
  }
  try {
    const s = await handle.stat();
    if (s.isDirectory()) return { ok: false, problem: 'directory', detail: 'it is a directory' };
    if (!s.isFile()) return { ok: false, problem: 'not-regular', detail: `it is ${kindOf(s)}, not a regular file` };
    if (s.size > maxBytes) return { ok: false, problem: 'too-large', detail: 'too large', size: s.size };
    // The size may change after fstat: read until the end, but never past maxBytes + 1.
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (let want = s.size + 1; ; want = 64 * 1024) {
      const buf = new Uint8Array(Math.min(want, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return { ok: false, problem: 'too-large', detail: 'too large', size: total };
    }
    if (chunks.length === 1) return { ok: true, bytes: chunks[0] };
    return { ok: true, bytes: concatBytes(chunks) };
  } catch (e) {
    return openError(e);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
