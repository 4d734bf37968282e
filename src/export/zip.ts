/**
 * A minimal ZIP writer (PKWARE APPNOTE 6.3.x: local headers, central directory, end record; entries
 * stored uncompressed, no ZIP64, so up to 4 GiB). Enough for numpy's .npz (a ZIP of .npy files) and
 * for bundling an exported script with its data in one download. Timestamps are fixed (1980-01-01)
 * so the same entries always give the same bytes.
 */

export interface ZipEntry {
  /** Path inside the archive: printable ASCII, '/'-separated, no '..' segment. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, the one ZIP uses). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const LOCAL = 30;
const CENTRAL = 46;
const END = 22;
const DOS_DATE_1980_01_01 = 0x0021;
const MAX = 0xffffffff;

function checkName(name: string): Uint8Array {
  if (!/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(name) || name.startsWith('/') || name.split('/').includes('..')) {
    throw new Error(`zip: entry name ${JSON.stringify(name)} must be printable ASCII, relative, without '..'`);
  }
  return new TextEncoder().encode(name);
}

/** The entries as a ZIP archive, stored (method 0). */
export function zipStore(entries: readonly ZipEntry[]): Uint8Array<ArrayBuffer> {
  const names = entries.map((e) => checkName(e.name));
  if (new Set(entries.map((e) => e.name)).size !== entries.length) throw new Error('zip: duplicate entry names');
  const dataLen = entries.reduce((a, e, i) => a + LOCAL + names[i].length + e.bytes.length, 0);
  const centralLen = names.reduce((a, n) => a + CENTRAL + n.length, 0);
  const total = dataLen + centralLen + END;
  if (total > MAX || entries.length > 0xffff)
    throw new Error(`zip: ${total} bytes in ${entries.length} entries needs ZIP64, which this writer does not do`);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  const offsets: number[] = [];
  const crcs = entries.map((e) => crc32(e.bytes));
  let p = 0;
  // Fields shared by the local and the central header, from "version needed" to the name length.
  const common = (at: number, i: number) => {
    v.setUint16(at, 20, true); // version needed: 2.0
    v.setUint16(at + 2, 0, true); // flags
    v.setUint16(at + 4, 0, true); // method: stored
    v.setUint16(at + 6, 0, true); // time 00:00:00
    v.setUint16(at + 8, DOS_DATE_1980_01_01, true);
    v.setUint32(at + 10, crcs[i], true);
    v.setUint32(at + 14, entries[i].bytes.length, true); // compressed size
    v.setUint32(at + 18, entries[i].bytes.length, true); // uncompressed size
    v.setUint16(at + 22, names[i].length, true);
    v.setUint16(at + 24, 0, true); // extra field length
  };
  entries.forEach((e, i) => {
    offsets.push(p);
    v.setUint32(p, 0x04034b50, true);
    common(p + 4, i);
    out.set(names[i], p + LOCAL);
    out.set(e.bytes, p + LOCAL + names[i].length);
    p += LOCAL + names[i].length + e.bytes.length;
  });
  const centralAt = p;
  entries.forEach((_, i) => {
    v.setUint32(p, 0x02014b50, true);
    v.setUint16(p + 4, 20, true); // version made by: 2.0, MS-DOS attributes
    common(p + 6, i);
    // comment length, disk number, internal and external attributes: all zero
    v.setUint32(p + 42, offsets[i], true);
    out.set(names[i], p + CENTRAL);
    p += CENTRAL + names[i].length;
  });
  v.setUint32(p, 0x06054b50, true);
  v.setUint16(p + 8, entries.length, true);
  v.setUint16(p + 10, entries.length, true);
  v.setUint32(p + 12, centralLen, true);
  v.setUint32(p + 16, centralAt, true);
  return out;
}
