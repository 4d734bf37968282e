/** The arrays one after another, copied into one new array that `make` creates for the total length. */
export function concatArrays<T extends Uint8Array | Int32Array>(arrays: readonly T[], make: (length: number) => T): T {
  const out = make(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

/** Chunks of bytes (of a download, a decompression, a file read) as one array. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  return concatArrays(chunks, (n) => new Uint8Array(n));
}
