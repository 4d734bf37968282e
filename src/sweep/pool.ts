/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight, starting them in order;
 * resolves with the results in input order. Stops starting new items once `signal` aborts (items
 * not started are absent from the result: `undefined` at their index).
 *
 * In the browser worker, concurrent runs interleave their steps on one device; in Node's TF.js CPU
 * backend everything runs on one JavaScript thread, so concurrency > 1 interleaves but does not
 * make a sweep faster.
 */
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<(R | undefined)[]> {
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    throw new RangeError(`runPool: concurrency must be a positive integer, got ${concurrency}`);
  const results: (R | undefined)[] = new Array(items.length).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
