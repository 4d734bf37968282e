/**
 * CSV tables with a label column: numeric features, one row per example. Quoted fields (RFC 4180)
 * are understood; the delimiter (comma, semicolon or tab) is detected from the first line; a
 * header row is detected when its cells are not numbers. With a semicolon or tab delimiter a
 * decimal comma (1,5) is read as 1.5. Labels are either integer class indices
 * (0 … MAX_CLASSES − 1) or text class names (mapped to 0 … k − 1 in sorted order).
 */
import { DatasetError } from './errors';
import { MAX_CLASSES, MEMORY_BUDGET_BYTES, checkBudget, formatBytes } from './limits';

export interface CsvOptions {
  /** Label column by header name or 0-based index. Default: a column named label/class/target/y, else the last. */
  readonly labelColumn?: string | number;
  /** Force header detection on or off. */
  readonly header?: boolean;
}

/** A parsed CSV file before labels are turned into class indices. */
export interface CsvTable {
  readonly file: string;
  readonly featureNames: readonly string[];
  readonly labelName: string;
  /** rows × features, row-major, exactly as written (no scaling). */
  readonly x: Float32Array;
  /** Label cells as text, one per row. */
  readonly labels: readonly string[];
  /** 1-based line number of each row in the file, for error messages. */
  readonly lines: readonly number[];
}

const LABEL_NAMES = /^(label|labels|class|target|y)$/i;

function isNumber(cell: string): boolean {
  const t = cell.trim();
  return t !== '' && Number.isFinite(Number(t));
}

/** The delimiter of the first line: whichever of comma, semicolon and tab splits it into most cells. */
export function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  return [',', ';', '\t'].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best));
}

/** A finite number, or NaN. With a non-comma delimiter, a decimal comma ("1,5") is accepted. */
function toNumber(cell: string, decimalComma: boolean): number {
  const t = cell.trim();
  if (t === '') return NaN;
  if (decimalComma && /^[+-]?\d*,\d+(e[+-]?\d+)?$/i.test(t)) return Number(t.replace(',', '.'));
  const v = Number(t);
  return Number.isFinite(v) ? v : NaN;
}

/** Splits CSV text into rows of cells with their starting line numbers. Blank lines are skipped. */
export function splitCsvRows(text: string, file: string): { cells: string[]; line: number }[] {
  const delim = detectDelimiter(text);
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  let quotedRow = false;
  const endRow = (): void => {
    cells.push(cell);
    if (cells.length > 1 || cells[0].trim() !== '' || quotedRow) rows.push({ cells, line: rowLine });
    cells = [];
    cell = '';
    quotedRow = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      inQuotes = true;
      quotedRow = true;
      cell = '';
    } else if (ch === delim) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (inQuotes) throw new DatasetError('truncated', `a quoted field opened on line ${rowLine} is never closed`, file);
  endRow();
  return rows;
}

function decodeText(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new DatasetError('unknown-format', 'not UTF-8 text, so not a CSV file', file);
  }
}

/** Parses a CSV file into numeric features and label text. */
export function parseCsv(
  bytes: Uint8Array,
  file: string,
  options: CsvOptions = {},
  budgetBytes: number = MEMORY_BUDGET_BYTES,
): CsvTable {
  if (bytes.length === 0) throw new DatasetError('empty-file', 'the file is empty', file);
  // A CSV needs at least 2 text bytes per value and we store 4; refuse text that cannot fit early.
  if (bytes.length > 2 * budgetBytes) {
    throw new DatasetError('too-large', `${formatBytes(bytes.length)} of CSV text is over the memory budget`, file);
  }
  const text = decodeText(bytes, file);
  const decimalComma = detectDelimiter(text) !== ',';
  const numeric = (c: string): boolean => !Number.isNaN(toNumber(c, decimalComma));
  const rows = splitCsvRows(text, file);
  if (rows.length === 0) throw new DatasetError('empty-file', 'the file has no rows, only blank lines', file);

  const first = rows[0].cells;
  const second = rows[1]?.cells;
  const detected =
    first.some((c) => !numeric(c)) &&
    (second === undefined || first.every((c) => !numeric(c)) || first.some((c, j) => !numeric(c) && numeric(second[j] ?? '')));
  const hasHeader = options.header ?? detected;
  const width = first.length;
  const names = hasHeader ? first.map((c, j) => c.trim() || `column ${j + 1}`) : first.map((_, j) => `column ${j + 1}`);
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length === 0) throw new DatasetError('empty-file', 'the file has a header but no data rows', file);
  if (width < 2) {
    throw new DatasetError('bad-header', `rows have ${width} column; need at least one feature column and a label column`, file);
  }

  let labelCol: number;
  const lc = options.labelColumn;
  if (typeof lc === 'number') {
    if (!Number.isInteger(lc) || lc < 0 || lc >= width) {
      throw new DatasetError('missing-label-column', `label column index ${lc} is outside 0–${width - 1}`, file);
    }
    labelCol = lc;
  } else if (typeof lc === 'string') {
    labelCol = names.findIndex((n) => n === lc);
    if (labelCol < 0) labelCol = names.findIndex((n) => n.toLowerCase() === lc.toLowerCase());
    if (labelCol < 0) {
      throw new DatasetError(
        'missing-label-column',
        `no column named '${lc}'${hasHeader ? `; columns are ${names.join(', ')}` : ' (the file has no header row)'}`,
        file,
      );
    }
  } else {
    const named = hasHeader ? names.findIndex((n) => LABEL_NAMES.test(n)) : -1;
    labelCol = named >= 0 ? named : width - 1;
  }

  const d = width - 1;
  checkBudget(data.length, d, file, budgetBytes);
  const x = new Float32Array(data.length * d);
  const labels: string[] = new Array<string>(data.length);
  const lines: number[] = new Array<number>(data.length);
  for (let i = 0; i < data.length; i++) {
    const { cells, line } = data[i];
    if (cells.length !== width) {
      throw new DatasetError(
        'ragged-row',
        `line ${line} has ${cells.length} cell${cells.length === 1 ? '' : 's'} but the ${hasHeader ? 'header' : 'first row'} has ${width}`,
        file,
      );
    }
    let k = 0;
    for (let j = 0; j < width; j++) {
      if (j === labelCol) continue;
      const t = cells[j].trim();
      const v = toNumber(t, decimalComma);
      if (Number.isNaN(v)) {
        throw new DatasetError(
          'non-numeric',
          `line ${line}, column '${names[j]}': ${t === '' ? 'empty cell' : `'${t.slice(0, 40)}' is not a number`}; ` +
            'feature columns must be numeric',
          file,
        );
      }
      x[i * d + k++] = v;
    }
    const label = cells[labelCol].trim();
    if (label === '') {
      throw new DatasetError('non-numeric', `line ${line}: empty label in column '${names[labelCol]}'`, file);
    }
    labels[i] = label;
    lines[i] = line;
  }
  return {
    file,
    featureNames: names.filter((_, j) => j !== labelCol),
    labelName: names[labelCol],
    x,
    labels,
    lines,
  };
}

/**
 * Turns label text into class indices, jointly over several tables (train and test must agree).
 * All-integer labels are used as indices; any text label switches to sorted class names.
 */
export function encodeCsvLabels(tables: readonly CsvTable[]): {
  y: Int32Array[];
  numClasses: number;
  classNames: string[] | null;
} {
  const all = tables.flatMap((t) => t.labels);
  const numeric = all.every(isNumber);
  if (numeric) {
    let max = 0;
    const y = tables.map((t) => {
      const out = new Int32Array(t.labels.length);
      t.labels.forEach((s, i) => {
        const v = Number(s);
        if (!Number.isInteger(v) || v < 0 || v >= MAX_CLASSES) {
          throw new DatasetError(
            'label-out-of-range',
            `line ${t.lines[i]}: label '${s}' is not a class index; numeric labels must be integers 0–${MAX_CLASSES - 1}`,
            t.file,
          );
        }
        out[i] = v;
        if (v > max) max = v;
      });
      return out;
    });
    return { y, numClasses: Math.max(2, max + 1), classNames: null };
  }
  const names = Array.from(new Set(all)).sort();
  if (names.length > MAX_CLASSES) {
    throw new DatasetError(
      'label-out-of-range',
      `${names.length} distinct text labels; at most ${MAX_CLASSES} classes are supported`,
      tables[0].file,
    );
  }
  const index = new Map(names.map((n, i) => [n, i]));
  const y = tables.map((t) => Int32Array.from(t.labels, (s) => index.get(s) as number));
  return { y, numClasses: Math.max(2, names.length), classNames: names };
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Writes a CSV file (header + rows) — the inverse of parseCsv for tests and exports. */
export function encodeCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): Uint8Array {
  const lines = [header.map(quote).join(','), ...rows.map((r) => r.map((c) => quote(String(c))).join(','))];
  return new TextEncoder().encode(lines.join('\n') + '\n');
}
