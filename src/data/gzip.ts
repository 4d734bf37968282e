/**
 * gunzip through the platform's DecompressionStream (browsers and Node ≥ 18), with a cap on the
 * output size so a corrupt or hostile file cannot exhaust memory.
 */
import { concatBytes } from './concat';
import { DatasetError } from './errors';
import { MEMORY_BUDGET_BYTES, formatBytes } from './limits';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Smallest valid gzip member: 10-byte header, 2-byte empty deflate block, 8-byte trailer. */
const MIN_GZIP_BYTES = 20;

function checkGzipHeader(bytes: Uint8Array, file: string): void {
  if (bytes.length === 0) throw new DatasetError('empty-file', 'the file is empty', file);
  const magicPrefixOk = bytes[0] === 0x1f && (bytes.length < 2 || bytes[1] === 0x8b);
  if (!magicPrefixOk) {
    throw new DatasetError('bad-magic', `not a gzip file: starts with ${hex(bytes, 2)}, expected 1f 8b`, file);
  }
  if (bytes.length < MIN_GZIP_BYTES) {
    throw new DatasetError('truncated', `gzip file is only ${bytes.length} bytes; it is cut short`, file);
  }
}

function gzipError(e: unknown, file: string): DatasetError {
  if (e instanceof DatasetError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (/end of file|truncat|unexpected end/i.test(msg)) {
    return new DatasetError('truncated', `compressed data ends early (the file is cut short): ${msg}`, file);
  }
  return new DatasetError('bad-gzip', `corrupt gzip data: ${msg}`, file);
}

/**
 * Decompresses a gzip file chunk by chunk, so a reader can stop (and decompression with it) as soon
 * as it has seen enough: leaving the loop early cancels the stream. Errors as for `gunzip`.
 */
export async function* gunzipChunks(bytes: Uint8Array, file: string): AsyncGenerator<Uint8Array, void, undefined> {
  checkGzipHeader(bytes, file);
  // Blob.stream() feeds the input without us awaiting writes, so back-pressure cannot deadlock.
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (e) {
        finished = true;
        throw gzipError(e, file);
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}

/**
 * Decompresses a gzip file. Errors: 'empty-file', 'bad-magic' (not gzip), 'truncated' (stream ends
 * early), 'bad-gzip' (corrupt data or CRC), 'too-large' (output over `maxBytes`, found while
 * decompressing: no more than `maxBytes` plus one chunk is ever held).
 */
export async function gunzip(bytes: Uint8Array, file: string, maxBytes: number = MEMORY_BUDGET_BYTES): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const value of gunzipChunks(bytes, file)) {
    total += value.length;
    if (total > maxBytes) {
      throw new DatasetError('too-large', `decompresses to more than ${formatBytes(maxBytes)}, over the memory budget`, file);
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

/** Compresses with the platform's CompressionStream (used by tests and fixtures). */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function hex(bytes: Uint8Array, n: number): string {
  return Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ') || '(nothing)';
}
