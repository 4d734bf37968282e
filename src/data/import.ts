/**
 * One entry point for user-supplied datasets, shared by the browser (file picker, drag-and-drop,
 * URL) and Node (paths, see ./node.ts): give it the files' names and bytes, get a train/test split.
 *
 * Formats: IDX images + labels pairs, raw or .gz (MNIST, Fashion-MNIST, KMNIST, EMNIST); CIFAR-10
 * binary batches; CSV with a label column. The format is detected from names and magic numbers.
 * Files whose names contain "t10k" or "test" form the test set; without any, a seeded split of
 * the rest is used. Every failure is a DatasetError naming the file; nothing is partially applied.
 */
import type { Dataset, DatasetSplit } from './types';
import { concatArrays, concatBytes } from './concat';
import { DatasetError } from './errors';
import { gunzip, gunzipChunks, isGzip } from './gzip';
import { idxImages, idxLabels, parseIdx, type IdxImages } from './idx';
import { CIFAR10_CLASS_NAMES, CIFAR10_CLASSES, CIFAR_PIXELS, CIFAR_RECORD, parseCifar10 } from './cifar';
import { describeLabelColumn, encodeCsvLabels, parseCsv, readCsv, type CsvOptions, type CsvTable } from './csv';
import { MAX_CLASSES, MEMORY_BUDGET_BYTES, binaryBytesLimit, checkBudget, formatBytes } from './limits';
import { splitDataset } from './split';
import { standardizeSplit } from './standardize';

export interface ImportFile {
  /** File name (a path is fine; only the last segment is used for detection). */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface ImportOptions {
  /** Test fraction when no test files are given. Default 0.2. */
  readonly testFraction?: number;
  /** Seed of that split. Default 0. */
  readonly seed?: number;
  /** CSV: label column and header handling. */
  readonly csv?: CsvOptions;
  /** CSV: standardise features with train statistics. Default true. */
  readonly standardize?: boolean;
  /** Expected number of classes; labels outside [0, numClasses) are rejected. Default: inferred. */
  readonly numClasses?: number;
  /** IDX: swap height and width. Default: only for files named "emnist…" (EMNIST stores images transposed). */
  readonly transpose?: boolean;
  /** Float32 feature budget in bytes. Default MEMORY_BUDGET_BYTES (512 MiB). */
  readonly budgetBytes?: number;
}

export type ImportFormat = 'idx' | 'cifar10' | 'csv';

export interface ImportResult {
  readonly split: DatasetSplit;
  readonly format: ImportFormat;
  /** Class names when the files say them (CSV text labels, CIFAR-10), else null. */
  readonly classNames: readonly string[] | null;
  /** Companion files that were skipped (e.g. batches.meta.txt, readme.html, dotfiles). */
  readonly ignored: readonly string[];
  /** True when the test set was cut from the training files with the seed. */
  readonly splitBySeed: boolean;
  /** CSV: which column holds the labels and why, as one line for people; null for other formats. */
  readonly labelColumn: string | null;
}

type Role = 'train' | 'test';

interface Prepared {
  readonly name: string; // as given
  readonly base: string; // last path segment without .gz
  /** Decompressed, except for CSV files: a .csv.gz is decompressed as it is read (see importCsv). */
  readonly bytes: Uint8Array;
  readonly gz: boolean;
  readonly role: Role;
}

const IGNORED = /^(\..*|batches\.meta\.txt|readme\.html?|readme(\.md|\.txt)?|thumbs\.db)$/i;

function baseName(name: string): string {
  const parts = name.split(/[\\/]/);
  return parts[parts.length - 1];
}

function roleOf(base: string): Role {
  // "test" or "t10k" at the start of a word: test_batch, t10k-images, iris_test.csv — not "latest".
  return /(^|[^a-z])(t10k|test)/i.test(base) ? 'test' : 'train';
}

function formatByName(base: string): ImportFormat | null {
  const b = base.toLowerCase();
  if (/\.(csv|tsv)$/.test(b)) return 'csv';
  if (/idx\d|ubyte|\.idx$/.test(b)) return 'idx';
  if (/(data|test)_batch|\.bin$/.test(b)) return 'cifar10';
  return null;
}

function detect(f: Prepared): ImportFormat {
  const byName = formatByName(f.base);
  if (byName) return byName;
  const x = f.bytes;
  if (x.length >= 4 && x[0] === 0 && x[1] === 0 && [8, 9, 11, 12, 13, 14].includes(x[2]) && x[3] >= 1 && x[3] <= 4) return 'idx';
  throw new DatasetError(
    'unknown-format',
    'cannot tell the format: expected an IDX file (MNIST-style, e.g. train-images-idx3-ubyte[.gz]), a CIFAR-10 ' +
      `binary batch (.bin, ${CIFAR_RECORD.toLocaleString('en-US')}-byte records) or a .csv table`,
    f.name,
  );
}

function familyOf(names: string[], shape: readonly number[]): { title: string; classes: number | undefined } {
  const s = names.join(' ').toLowerCase();
  const mnistShape = shape[0] === 28 && shape[1] === 28 && shape[2] === 1;
  if (s.includes('emnist')) return { title: 'EMNIST', classes: undefined };
  if (s.includes('kmnist')) return { title: 'KMNIST', classes: 10 };
  if (s.includes('fashion')) return { title: 'Fashion-MNIST', classes: 10 };
  if (s.includes('mnist') || mnistShape) return { title: mnistShape ? 'MNIST-format images' : 'MNIST', classes: 10 };
  return { title: 'IDX images', classes: undefined };
}

/** Checks labels against a class count (given, family default, or inferred = max + 1). */
function resolveClasses(parts: { labels: Int32Array; file: string }[], expected: number | undefined, what: string): number {
  let max = -1;
  for (const { labels, file } of parts) {
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      const limit = expected ?? MAX_CLASSES;
      if (l < 0 || l >= limit) {
        throw new DatasetError(
          'label-out-of-range',
          `the label of example ${i} is ${l}; labels must be 0–${limit - 1} for ${what}` +
            (expected === undefined ? '' : ` (${expected} classes)`),
          file,
        );
      }
      if (l > max) max = l;
    }
  }
  return expected ?? Math.max(2, max + 1);
}

function bytesToFloat(pixels: Uint8Array): Float32Array {
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = pixels[i] / 255;
  return x;
}

function byRole<T extends { role: Role }>(items: T[]): Record<Role, T[]> {
  return { train: items.filter((i) => i.role === 'train'), test: items.filter((i) => i.role === 'test') };
}

function importIdx(files: Prepared[], o: ImportOptions, budget: number): { parts: Partial<Record<Role, Dataset>>; classNames: null } {
  const parsed = files.map((f) => ({ f, a: parseIdx(f.bytes, f.name, budget) }));
  const images = parsed.filter((p) => p.a.dims.length >= 2);
  const labels = parsed.filter((p) => p.a.dims.length === 1);
  const roles = (['train', 'test'] as const).filter((r) => parsed.some((p) => p.f.role === r));
  const pairs: { role: Role; img: IdxImages; lab: Int32Array; imgFile: string; labFile: string }[] = [];
  for (const role of roles) {
    const im = images.filter((p) => p.f.role === role);
    const lb = labels.filter((p) => p.f.role === role);
    if (im.length > 1 || lb.length > 1) {
      const many = im.length > 1 ? im : lb;
      throw new DatasetError(
        'unpaired-file',
        `${many.length} ${im.length > 1 ? 'images' : 'labels'} files for the ${role} set (${many.map((p) => p.f.name).join(', ')}); ` +
          'import one images file and one labels file per set',
        many[1].f.name,
      );
    }
    if (im.length === 0 || lb.length === 0) {
      const lone = (im[0] ?? lb[0]).f.name;
      throw new DatasetError(
        'unpaired-file',
        `no matching ${im.length === 0 ? 'images' : 'labels'} file for this ${role} ${im.length === 0 ? 'labels' : 'images'} file; ` +
          'IDX datasets come as an images file and a labels file (names with "t10k" or "test" form the test set)',
        lone,
      );
    }
    const transpose = o.transpose ?? /emnist/i.test(im[0].f.base);
    const img = idxImages(im[0].a, im[0].f.name, transpose);
    const lab = idxLabels(lb[0].a, lb[0].f.name);
    if (img.count !== lab.length) {
      throw new DatasetError(
        'count-mismatch',
        `${img.count.toLocaleString('en-US')} images but ${lab.length.toLocaleString('en-US')} labels in ${lb[0].f.name}`,
        im[0].f.name,
      );
    }
    pairs.push({ role, img, lab, imgFile: im[0].f.name, labFile: lb[0].f.name });
  }
  if (pairs.length === 2 && pairs[0].img.shape.join() !== pairs[1].img.shape.join()) {
    throw new DatasetError(
      'mixed-shapes',
      `images are ${pairs[0].img.shape.join('×')} in ${pairs[0].imgFile} but ${pairs[1].img.shape.join('×')} here`,
      pairs[1].imgFile,
    );
  }
  const shape = pairs[0].img.shape;
  const per = shape[0] * shape[1] * shape[2];
  checkBudget(
    pairs.reduce((a, p) => a + p.img.count, 0),
    per,
    files.map((f) => f.name).join(', '),
    budget,
  );
  const fam = familyOf(
    files.map((f) => f.base),
    shape,
  );
  const numClasses = resolveClasses(
    pairs.map((p) => ({ labels: p.lab, file: p.labFile })),
    o.numClasses ?? fam.classes,
    fam.title,
  );
  const parts: Partial<Record<Role, Dataset>> = {};
  for (const p of pairs) {
    parts[p.role] = {
      name: `${fam.title} (imported)`,
      x: bytesToFloat(p.img.pixels),
      y: p.lab,
      inputShape: [...shape],
      numClasses,
      source: `IDX: ${p.imgFile} + ${p.labFile}`,
    };
  }
  return { parts, classNames: null };
}

function importCifar(
  files: Prepared[],
  o: ImportOptions,
  budget: number,
): { parts: Partial<Record<Role, Dataset>>; classNames: readonly string[] } {
  const parsed = files
    .slice()
    .sort((a, b) => a.base.localeCompare(b.base, 'en', { numeric: true }))
    .map((f) => ({ f, role: f.role, b: parseCifar10(f.bytes, f.name, budget) }));
  checkBudget(
    parsed.reduce((a, p) => a + p.b.count, 0),
    CIFAR_PIXELS,
    files.map((f) => f.name).join(', '),
    budget,
  );
  if (o.numClasses !== undefined && o.numClasses !== CIFAR10_CLASSES) {
    throw new DatasetError('bad-options', `CIFAR-10 has 10 classes, numClasses ${o.numClasses} was requested`);
  }
  const parts: Partial<Record<Role, Dataset>> = {};
  const groups = byRole(parsed);
  for (const role of ['train', 'test'] as const) {
    const g = groups[role];
    if (g.length === 0) continue;
    parts[role] = {
      name: 'CIFAR-10 (imported)',
      x: bytesToFloat(concatBytes(g.map((p) => p.b.pixels))),
      y: concatArrays(
        g.map((p) => p.b.labels),
        (n) => new Int32Array(n),
      ),
      inputShape: [32, 32, 3],
      numClasses: CIFAR10_CLASSES,
      source: `CIFAR-10 binary: ${g.map((p) => p.f.name).join(', ')}`,
    };
  }
  return { parts, classNames: CIFAR10_CLASS_NAMES };
}

async function importCsv(
  files: Prepared[],
  o: ImportOptions,
  budget: number,
): Promise<{ parts: Partial<Record<Role, Dataset>>; classNames: readonly string[] | null; labelColumn: string }> {
  const groups = byRole(files);
  for (const role of ['train', 'test'] as const) {
    if (groups[role].length > 1) {
      throw new DatasetError(
        'unpaired-file',
        `${groups[role].length} CSV files for the ${role} set (${groups[role].map((f) => f.name).join(', ')}); ` +
          'give one table, or one train and one test table',
        groups[role][1].name,
      );
    }
  }
  const present = (['train', 'test'] as const).filter((r) => groups[r].length === 1);
  const tables: CsvTable[] = [];
  for (const r of present) {
    const f = groups[r][0];
    // Train and test share the budget: the second table counts the first one's examples.
    const priorExamples = tables.reduce((a, t) => a + t.rows, 0);
    tables.push(
      f.gz
        ? await readCsv(gunzipChunks(f.bytes, f.name), f.name, o.csv, { budgetBytes: budget, priorExamples })
        : parseCsv(f.bytes, f.name, o.csv, budget, { priorExamples }),
    );
  }
  if (tables.length === 2 && tables[0].featureNames.join('\u0000') !== tables[1].featureNames.join('\u0000')) {
    const [a, b] = tables;
    throw new DatasetError(
      'mixed-shapes',
      `columns differ from ${a.file}: ${b.featureNames.length} features (${b.featureNames.slice(0, 5).join(', ')}…) ` +
        `vs ${a.featureNames.length} (${a.featureNames.slice(0, 5).join(', ')}…)`,
      b.file,
    );
  }
  checkBudget(
    tables.reduce((a, t) => a + t.rows, 0),
    tables[0].featureNames.length,
    files.map((f) => f.name).join(', '),
    budget,
  );
  const enc = encodeCsvLabels(tables);
  const numClasses = o.numClasses ?? enc.numClasses;
  resolveClasses(
    tables.map((t, i) => ({ labels: enc.y[i], file: t.file })),
    numClasses,
    'this CSV',
  );
  const parts: Partial<Record<Role, Dataset>> = {};
  present.forEach((role, i) => {
    const t = tables[i];
    parts[role] = {
      name: `${baseName(t.file).replace(/\.(csv|tsv)$/i, '')} (CSV)`,
      x: t.x,
      y: enc.y[i],
      inputShape: [t.featureNames.length],
      numClasses,
      source: `CSV: ${t.file} (label column '${t.labelName}', ${t.featureNames.length} features)`,
    };
  });
  return { parts, classNames: enc.classNames, labelColumn: describeLabelColumn(tables[0]) };
}

/**
 * Imports user files as a train/test split. Throws DatasetError (never anything else for bad
 * input) with a code and a message naming the file.
 */
export async function importDatasetFiles(files: readonly ImportFile[], options: ImportOptions = {}): Promise<ImportResult> {
  const budget = options.budgetBytes ?? MEMORY_BUDGET_BYTES;
  const testFraction = options.testFraction ?? 0.2;
  const seed = options.seed ?? 0;
  if (
    options.numClasses !== undefined &&
    (!Number.isInteger(options.numClasses) || options.numClasses < 2 || options.numClasses > MAX_CLASSES)
  ) {
    throw new DatasetError('bad-options', `numClasses must be an integer in 2–${MAX_CLASSES}, got ${options.numClasses}`);
  }
  if (files.length === 0) throw new DatasetError('empty-file', 'no files were given');
  const ignored = files.filter((f) => IGNORED.test(baseName(f.name))).map((f) => f.name);
  const kept = files.filter((f) => !IGNORED.test(baseName(f.name)));
  if (kept.length === 0) {
    throw new DatasetError('unknown-format', `only companion files were given (${ignored.join(', ')}), no data files`);
  }
  const seen = new Set<string>();
  for (const f of kept) {
    const b = baseName(f.name);
    if (seen.has(b)) throw new DatasetError('duplicate-file', 'the same file name was given twice', f.name);
    seen.add(b);
  }

  // Binary files are decompressed here, all of them together within one allowance (uint8 become
  // float32, so a quarter of the budget); CSV files are streamed later, row by row.
  const binaryLimit = binaryBytesLimit(budget);
  let binaryBytes = 0;
  const prepared: Prepared[] = [];
  for (const f of kept) {
    if (f.bytes.length === 0) throw new DatasetError('empty-file', 'the file is empty', f.name);
    const raw = baseName(f.name);
    const gz = /\.gz$/i.test(raw) || isGzip(f.bytes);
    const base = raw.replace(/\.gz$/i, '');
    const role = roleOf(base);
    if (formatByName(base) === 'csv') {
      prepared.push({ name: f.name, base, bytes: f.bytes, gz, role });
      continue;
    }
    const left = binaryLimit - binaryBytes;
    const over = (size: string) =>
      new DatasetError(
        'too-large',
        `${size}; image and label files may hold ${formatBytes(binaryLimit)} in all (the ${formatBytes(budget)} memory budget as float32)`,
        f.name,
      );
    if (!gz && f.bytes.length > left) throw over(`${formatBytes(f.bytes.length)}${binaryBytes > 0 ? ' with the files before it' : ''}`);
    let bytes = f.bytes;
    if (gz) {
      try {
        bytes = await gunzip(f.bytes, f.name, left);
      } catch (e) {
        if (e instanceof DatasetError && e.code === 'too-large') throw over(`decompresses to more than ${formatBytes(left)}`);
        throw e;
      }
    }
    if (bytes.length === 0) throw new DatasetError('empty-file', 'the file decompresses to nothing', f.name);
    binaryBytes += bytes.length;
    prepared.push({ name: f.name, base, bytes, gz: false, role });
  }

  const formats = prepared.map((f) => ({ f, fmt: detect(f) }));
  const format = formats[0].fmt;
  const odd = formats.find((x) => x.fmt !== format);
  if (odd) {
    throw new DatasetError(
      'mixed-formats',
      `this file looks like ${odd.fmt} but ${formats[0].f.name} looks like ${format}; import one dataset at a time`,
      odd.f.name,
    );
  }

  const imported: { parts: Partial<Record<Role, Dataset>>; classNames: readonly string[] | null; labelColumn?: string } =
    format === 'idx'
      ? importIdx(prepared, options, budget)
      : format === 'cifar10'
        ? importCifar(prepared, options, budget)
        : await importCsv(prepared, options, budget);
  const { parts, classNames } = imported;
  const labelColumn = imported.labelColumn ?? null;

  let split: DatasetSplit;
  let splitBySeed = false;
  if (parts.train && parts.test) {
    split = { train: parts.train, test: parts.test };
  } else {
    const only = (parts.train ?? parts.test) as Dataset;
    if (only.y.length < 2) {
      throw new DatasetError(
        'empty-file',
        `only ${only.y.length} example; need at least 2 to make a train and a test set`,
        prepared[0].name,
      );
    }
    const s = splitDataset(only, testFraction, seed);
    const note = `; test = seeded ${Math.round(testFraction * 100)}% split (seed ${seed})`;
    split = { train: { ...s.train, source: only.source + note }, test: { ...s.test, source: only.source + note } };
    splitBySeed = true;
  }
  if (format === 'csv' && (options.standardize ?? true)) {
    const std = standardizeSplit(split).split;
    const note = '; standardised with train mean/std';
    split = { train: { ...std.train, source: std.train.source + note }, test: { ...std.test, source: std.test.source + note } };
  }
  return { split, format, classNames, ignored, splitBySeed, labelColumn };
}
