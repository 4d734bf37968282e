/**
 * Import a dataset from URLs the user types (browser, worker or Node ≥ 18): fetch each file with
 * a size cap and a timeout, then hand the bytes to importDatasetFiles. The file name used for
 * format detection is the last segment of the URL path.
 */
import { concatBytes } from './concat';
import { DatasetError } from './errors';
import { importDatasetFiles, type ImportFile, type ImportOptions, type ImportResult } from './import';
import { MEMORY_BUDGET_BYTES, fileBytesLimit, formatBytes, importBytesLimit } from './limits';

export interface UrlImportOptions extends ImportOptions {
  readonly signal?: AbortSignal;
  /** Per-file timeout. Default 120 s. */
  readonly timeoutMs?: number;
  readonly fetchFn?: typeof fetch;
}

function nameOf(url: string): string {
  try {
    const u = new URL(url, 'http://localhost/');
    const seg = decodeURIComponent(u.pathname.split('/').filter(Boolean).pop() ?? '');
    return seg || u.hostname || url;
  } catch {
    return url;
  }
}

/** Downloads one URL into memory, refusing more than `maxBytes`. */
export async function fetchBytes(
  url: string,
  maxBytes: number,
  options: { signal?: AbortSignal; timeoutMs?: number; fetchFn?: typeof fetch } = {},
): Promise<Uint8Array> {
  const ctl = new AbortController();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const timer = setTimeout(() => ctl.abort(new DatasetError('io', `no complete answer within ${timeoutMs / 1000} s`, url)), timeoutMs);
  const onAbort = (): void => ctl.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let res: Response;
    try {
      res = await (options.fetchFn ?? fetch)(url, { signal: ctl.signal });
    } catch (e) {
      if (ctl.signal.reason instanceof DatasetError) throw ctl.signal.reason;
      if (options.signal?.aborted) throw e;
      throw new DatasetError('io', `could not download: ${e instanceof Error ? e.message : String(e)}`, url);
    }
    if (!res.ok) throw new DatasetError('io', `HTTP ${res.status} ${res.statusText}`.trim(), url);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new DatasetError('too-large', `${formatBytes(declared)} to download is over the ${formatBytes(maxBytes)} limit`, url);
    }
    if (res.body === null) return new Uint8Array(0);
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new DatasetError('too-large', `download exceeds the ${formatBytes(maxBytes)} limit`, url);
        }
        chunks.push(value);
      }
    } catch (e) {
      if (e instanceof DatasetError) throw e;
      if (ctl.signal.reason instanceof DatasetError) throw ctl.signal.reason;
      if (options.signal?.aborted) throw e;
      throw new DatasetError('io', `download failed: ${e instanceof Error ? e.message : String(e)}`, url);
    }
    return concatBytes(chunks);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Fetches every URL and imports them together (e.g. the four MNIST-format .gz files). */
export async function importDatasetUrls(urls: readonly string[], options: UrlImportOptions = {}): Promise<ImportResult> {
  if (urls.length === 0) throw new DatasetError('empty-file', 'no URLs were given');
  const budget = options.budgetBytes ?? MEMORY_BUDGET_BYTES;
  // One file at most as large as an import accepts; all of them together at most twice that.
  let left = importBytesLimit(budget);
  const files: ImportFile[] = [];
  for (const url of urls) {
    const bytes = await fetchBytes(url, Math.min(fileBytesLimit(budget), left), options);
    left -= bytes.length;
    files.push({ name: nameOf(url), bytes });
  }
  return importDatasetFiles(files, options);
}
