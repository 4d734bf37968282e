/**
 * CSV tables with a label column: numeric features, one row per example. Quoted fields (RFC 4180)
 * are understood; the delimiter (comma, semicolon or tab) is detected from the first line; a
 * header row is detected when its cells are not numbers. With a semicolon or tab delimiter a
 * decimal comma (1,5) is read as 1.5. Labels are either integer class indices
 * (0 … MAX_CLASSES − 1) or text class names (mapped to 0 … k − 1 in sorted order).
 */
import { DatasetError } from './errors';
import {
  MAX_CLASSES,
  MAX_CSV_CELL_CHARS,
  MAX_CSV_COLUMNS,
  MAX_EXAMPLES,
  MEMORY_BUDGET_BYTES,
  checkBudget,
  csvTextLimit,
  formatBytes,
} from './limits';

export interface CsvOptions {
  /** Label column by header name or 0-based index. Default: a column named label, target or class, else labels or y, else the last. */
  readonly labelColumn?: string | number;
  /** Force header detection on or off. */
  readonly header?: boolean;
}

/** What a table may hold; checked row by row while the text is read. */
export interface CsvLimits {
  /** Float32 feature bytes (default MEMORY_BUDGET_BYTES). */
  readonly budgetBytes?: number;
  /** Examples other files of the same import already hold (they count against both limits). */
  readonly priorExamples?: number;
  /** Bytes of text (default csvTextLimit(budgetBytes)). */
  readonly maxTextBytes?: number;
}

/** How the label column was chosen: by the caller, by its name, or as the last column. */
export type LabelColumnReason = 'option' | 'name' | 'last';

/** A parsed CSV file before labels are turned into class indices. */
export interface CsvTable {
  readonly file: string;
  readonly featureNames: readonly string[];
  readonly labelName: string;
  /** 0-based index of the label column, and why it was chosen. */
  readonly labelIndex: number;
  readonly labelReason: LabelColumnReason;
  /** Number of data rows. */
  readonly rows: number;
  /** rows × features, row-major, exactly as written (no scaling). */
  readonly x: Float32Array;
  /** Distinct label cells (trimmed text) in order of first appearance. */
  readonly labelValues: readonly string[];
  /** 1-based line on which each distinct label first appears, for error messages. */
  readonly labelLines: readonly number[];
  /** Per row, the index of its label in `labelValues`. */
  readonly labelIds: Uint16Array;
}

/**
 * Column names that say "label", most specific first: an exact label / target / class column wins
 * over a `y` that may just as well be a coordinate (x, y, label).
 */
const LABEL_NAMES = ['label', 'target', 'class', 'labels', 'y'];

function isNumber(cell: string): boolean {
  const t = cell.trim();
  return t !== '' && Number.isFinite(Number(t));
}

/** The delimiter of the first line: whichever of comma, semicolon and tab splits it into most cells. */
export function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
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

/** The label column when the caller names none: the most label-like name, else the last column. */
export function defaultLabelColumn(names: readonly string[] | null, width: number): { index: number; reason: LabelColumnReason } {
  if (names) {
    const lower = names.map((n) => n.trim().toLowerCase());
    for (const want of LABEL_NAMES) {
      const index = lower.indexOf(want);
      if (index >= 0) return { index, reason: 'name' };
    }
  }
  return { index: width - 1, reason: 'last' };
}

/** One line for people: which column holds the labels and why (shown after an import). */
export function describeLabelColumn(t: Pick<CsvTable, 'labelName' | 'labelIndex' | 'labelReason' | 'featureNames'>): string {
  const where = `column ${t.labelIndex + 1} of ${t.featureNames.length + 1}`;
  const why =
    t.labelReason === 'name'
      ? 'chosen by its name'
      : t.labelReason === 'last'
        ? 'the last column: no column is named label, target, class or y'
        : 'as requested';
  return `Label column: '${t.labelName}' (${where}, ${why}).`;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** Bytes decoded at once, so no single string grows with the file. */
const CHUNK_BYTES = 1024 * 1024;
/** The first line is held back until it ends (its delimiter decides the others); past this it is a broken file. */
const MAX_FIRST_LINE_CHARS = MAX_CSV_COLUMNS * 64;
const CELL_CHARS = MAX_CSV_CELL_CHARS;

interface Layout {
  readonly width: number;
  readonly hasHeader: boolean;
  readonly names: readonly string[];
  readonly labelCol: number;
  readonly labelReason: LabelColumnReason;
}

/** Bytes at the end of `b` that start a UTF-8 sequence completed only by the next chunk. */
function incompleteTail(b: Uint8Array): number {
  for (let k = 1; k <= 3 && k <= b.length; k++) {
    const byte = b[b.length - k];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

/**
 * A CSV table read incrementally: `push` bytes as they arrive (a file, a decompression stream), then
 * `end`. Rows go straight into float32 storage and a label index; no row is kept as text. Every
 * limit (text size, columns, cell length, rows, feature budget, distinct labels) is checked as the
 * text arrives, so a file over a limit fails after reading about as much as the limit allows.
 */
export class CsvReader {
  // Decoded chunk by chunk with our own boundary handling: a streaming TextDecoder is several times slower.
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly budgetBytes: number;
  private readonly priorExamples: number;
  private readonly maxTextBytes: number;
  private textBytes = 0;
  private carry: Uint8Array | null = null;
  /** Text held back until the first line is complete (the delimiter is detected from it); null after. */
  private head: string | null = '';
  private delim = 0x2c;
  private decimalComma = false;
  // Tokenizer state.
  private inQuotes = false;
  private afterQuote = false;
  private pendingCR = false;
  private quotedRow = false;
  private cell = '';
  private cells: string[] = [];
  private cellCount = 0;
  private line = 1;
  private rowLine = 1;
  // Table state.
  private first: { cells: string[]; line: number } | null = null;
  private layout: Layout | null = null;
  private width = 0;
  private labelCol = 0;
  private d = 0;
  private rows = 0;
  private capacity = 0;
  private x = new Float32Array(0);
  private ids = new Uint16Array(0);
  private readonly labelIndex = new Map<string, number>();
  private readonly labelValues: string[] = [];
  private readonly labelLines: number[] = [];

  constructor(
    private readonly file: string,
    private readonly options: CsvOptions = {},
    limits: CsvLimits = {},
  ) {
    this.budgetBytes = limits.budgetBytes ?? MEMORY_BUDGET_BYTES;
    this.priorExamples = limits.priorExamples ?? 0;
    this.maxTextBytes = limits.maxTextBytes ?? csvTextLimit(this.budgetBytes);
  }

  push(bytes: Uint8Array): void {
    for (let o = 0; o < bytes.length; o += CHUNK_BYTES) {
      let part = bytes.subarray(o, Math.min(bytes.length, o + CHUNK_BYTES));
      this.textBytes += part.length;
      if (this.textBytes > this.maxTextBytes) {
        throw new DatasetError(
          'too-large',
          `more than ${formatBytes(this.maxTextBytes)} of CSV text, over the ${formatBytes(this.maxTextBytes)} limit for one CSV file`,
          this.file,
        );
      }
      if (this.carry) {
        const joined = new Uint8Array(this.carry.length + part.length);
        joined.set(this.carry);
        joined.set(part, this.carry.length);
        part = joined;
        this.carry = null;
      }
      const tail = incompleteTail(part);
      if (tail > 0) this.carry = part.slice(part.length - tail);
      this.text(this.decode(part.subarray(0, part.length - tail)));
    }
  }

  end(): CsvTable {
    if (this.textBytes === 0) throw new DatasetError('empty-file', 'the file is empty', this.file);
    if (this.carry) this.text(this.decode(this.carry)); // an incomplete sequence: throws
    if (this.head !== null) this.startBody(this.head);
    if (this.inQuotes && !this.afterQuote) {
      throw new DatasetError('truncated', `a quoted field opened on line ${this.rowLine} is never closed`, this.file);
    }
    this.endRow();
    if (this.layout === null) {
      if (this.first === null) throw new DatasetError('empty-file', 'the file has no rows, only blank lines', this.file);
      this.decideLayout(this.first, undefined);
    }
    const layout = this.layout as unknown as Layout;
    if (this.rows === 0) throw new DatasetError('empty-file', 'the file has a header but no data rows', this.file);
    const used = this.rows * this.d;
    return {
      file: this.file,
      featureNames: layout.names.filter((_, j) => j !== layout.labelCol),
      labelName: layout.names[layout.labelCol],
      labelIndex: layout.labelCol,
      labelReason: layout.labelReason,
      rows: this.rows,
      x: this.x.length === used ? this.x : this.x.slice(0, used),
      labelValues: this.labelValues,
      labelLines: this.labelLines,
      labelIds: this.ids.length === this.rows ? this.ids : this.ids.slice(0, this.rows),
    };
  }

  private decode(bytes: Uint8Array): string {
    try {
      return this.decoder.decode(bytes);
    } catch {
      throw new DatasetError('unknown-format', 'not UTF-8 text, so not a CSV file', this.file);
    }
  }

  /** Holds text back until the first line ends, then tokenizes everything. */
  private text(t: string): void {
    if (this.head === null) {
      this.tokenize(t);
      return;
    }
    this.head += t;
    if (/[\r\n]/.test(this.head)) this.startBody(this.head);
    else if (this.head.length > MAX_FIRST_LINE_CHARS) {
      throw new DatasetError(
        'too-large',
        `the first line runs past ${MAX_FIRST_LINE_CHARS.toLocaleString('en-US')} characters without ending; not a CSV table`,
        this.file,
      );
    }
  }

  private startBody(h: string): void {
    this.head = null;
    if (h.charCodeAt(0) === 0xfeff) h = h.slice(1); // byte order mark
    const delim = detectDelimiter(h);
    this.delim = delim.charCodeAt(0);
    this.decimalComma = delim !== ',';
    this.tokenize(h);
  }

  /** RFC 4180 fields; a cell is sliced from the chunk in one piece where it can be. */
  private tokenize(t: string): void {
    const n = t.length;
    const delim = this.delim;
    let run = 0; // start of characters not yet added to `cell`
    for (let i = 0; i < n; i++) {
      const c = t.charCodeAt(i);
      // Fast path: characters that mean nothing to the tokenizer (digits, letters, '.', '-').
      if (c > QUOTE && c !== delim && !this.pendingCR && !this.afterQuote) continue;
      if (this.pendingCR) {
        this.pendingCR = false;
        if (c === LF) {
          run = i + 1;
          continue;
        }
      }
      if (this.inQuotes) {
        if (this.afterQuote) {
          this.afterQuote = false;
          run = i; // a doubled quote keeps this one; anything else continues unquoted
          if (c === QUOTE) continue;
          this.inQuotes = false;
        } else {
          if (c === QUOTE) {
            this.addToCell(t, run, i);
            this.afterQuote = true;
            run = i + 1;
          } else if (c === LF) this.line++;
          continue;
        }
      }
      if (c === delim) {
        this.addToCell(t, run, i);
        this.endCell();
        run = i + 1;
      } else if (c === LF || c === CR) {
        this.addToCell(t, run, i);
        this.endRow();
        this.line++;
        this.rowLine = this.line;
        this.pendingCR = c === CR;
        run = i + 1;
      } else if (c === QUOTE && (this.cell + t.slice(run, i)).trim() === '') {
        this.inQuotes = true;
        this.quotedRow = true;
        this.cell = '';
        run = i + 1;
      }
    }
    if (!this.afterQuote) this.addToCell(t, run, n);
  }

  private addToCell(t: string, from: number, to: number): void {
    if (to <= from) return;
    if (this.cell.length + (to - from) > CELL_CHARS) {
      throw new DatasetError(
        'corrupt',
        this.inQuotes
          ? `a quoted field opened on line ${this.rowLine} runs past ${CELL_CHARS.toLocaleString('en-US')} characters; is its closing quote missing?`
          : `line ${this.rowLine}: a cell longer than ${CELL_CHARS.toLocaleString('en-US')} characters; a CSV table holds numbers and short names`,
        this.file,
      );
    }
    this.cell = this.cell === '' ? t.slice(from, to) : this.cell + t.slice(from, to);
  }

  private endCell(): void {
    if (this.cellCount < (this.layout ? this.width : MAX_CSV_COLUMNS)) this.cells.push(this.cell);
    else if (!this.layout) {
      throw new DatasetError(
        'too-large',
        `line ${this.rowLine} has more than ${MAX_CSV_COLUMNS.toLocaleString('en-US')} cells, the most columns a table may have`,
        this.file,
      );
    }
    this.cellCount++;
    this.cell = '';
  }

  private endRow(): void {
    this.endCell();
    const cells = this.cells;
    const count = this.cellCount;
    const blank = count === 1 && !this.quotedRow && cells[0].trim() === '';
    this.cellCount = 0;
    this.quotedRow = false;
    if (this.layout) {
      // The row's numbers are stored by addRow, so its array is reused.
      if (!blank) this.addRow(cells, count, this.rowLine);
      this.cells.length = 0;
      return;
    }
    this.cells = [];
    if (blank) return;
    if (this.first === null) this.first = { cells, line: this.rowLine };
    else this.decideLayout(this.first, { cells, line: this.rowLine });
  }

  /** Header detection and the label column, from the first two rows; then those rows are data if they are. */
  private decideLayout(first: { cells: string[]; line: number }, second: { cells: string[]; line: number } | undefined): void {
    const numeric = (c: string): boolean => !Number.isNaN(toNumber(c, this.decimalComma));
    const f = first.cells;
    const detected =
      f.some((c) => !numeric(c)) &&
      (second === undefined || f.every((c) => !numeric(c)) || f.some((c, j) => !numeric(c) && numeric(second.cells[j] ?? '')));
    const hasHeader = this.options.header ?? detected;
    const width = f.length;
    const names = hasHeader ? f.map((c, j) => c.trim() || `column ${j + 1}`) : f.map((_, j) => `column ${j + 1}`);
    if (hasHeader && second === undefined) throw new DatasetError('empty-file', 'the file has a header but no data rows', this.file);
    if (width < 2) {
      throw new DatasetError('bad-header', `rows have ${width} column; need at least one feature column and a label column`, this.file);
    }
    const { index: labelCol, reason } = this.labelColumn(names, hasHeader, width);
    this.layout = { width, hasHeader, names, labelCol, labelReason: reason };
    this.width = width;
    this.labelCol = labelCol;
    this.d = width - 1;
    if (!hasHeader) this.addRow(f, f.length, first.line);
    if (second) this.addRow(second.cells, second.cells.length, second.line);
  }

  private labelColumn(names: readonly string[], hasHeader: boolean, width: number): { index: number; reason: LabelColumnReason } {
    const lc = this.options.labelColumn;
    if (typeof lc === 'number') {
      if (!Number.isInteger(lc) || lc < 0 || lc >= width) {
        throw new DatasetError('missing-label-column', `label column index ${lc} is outside 0–${width - 1}`, this.file);
      }
      return { index: lc, reason: 'option' };
    }
    if (typeof lc === 'string') {
      let index = names.findIndex((n) => n === lc);
      if (index < 0) index = names.findIndex((n) => n.toLowerCase() === lc.toLowerCase());
      if (index < 0) {
        throw new DatasetError(
          'missing-label-column',
          `no column named '${lc}'${hasHeader ? `; columns are ${names.join(', ')}` : ' (the file has no header row)'}`,
          this.file,
        );
      }
      return { index, reason: 'option' };
    }
    return defaultLabelColumn(hasHeader ? names : null, width);
  }

  private addRow(cells: string[], count: number, line: number): void {
    const width = this.width;
    const labelCol = this.labelCol;
    if (count !== width) {
      throw new DatasetError(
        'ragged-row',
        `line ${line} has ${count} cell${count === 1 ? '' : 's'} but the ${this.layout?.hasHeader ? 'header' : 'first row'} has ${width}`,
        this.file,
      );
    }
    if (this.rows === this.capacity) this.grow();
    const x = this.x;
    let k = this.rows * this.d;
    for (let j = 0; j < width; j++) {
      if (j === labelCol) continue;
      const cell = cells[j];
      // Number() ignores surrounding whitespace itself; only a blank cell reads as 0 without being one.
      let v = Number(cell);
      if (!Number.isFinite(v) || (v === 0 && cell.trim() === '')) v = toNumber(cell, this.decimalComma);
      if (Number.isNaN(v)) this.notANumber(cell, j, line);
      x[k++] = v;
    }
    const label = cells[labelCol].trim();
    if (label === '')
      throw new DatasetError('non-numeric', `line ${line}: empty label in column '${this.layout?.names[labelCol]}'`, this.file);
    let id = this.labelIndex.get(label);
    if (id === undefined) id = this.newLabel(label, line);
    this.ids[this.rows++] = id;
  }

  private notANumber(cell: string, j: number, line: number): never {
    const t = cell.trim();
    throw new DatasetError(
      'non-numeric',
      `line ${line}, column '${this.layout?.names[j]}': ${t === '' ? 'empty cell' : `'${t.slice(0, 40)}' is not a number`}; ` +
        'feature columns must be numeric',
      this.file,
    );
  }

  private newLabel(label: string, line: number): number {
    if (this.labelValues.length === MAX_CLASSES) {
      const values = [...this.labelValues, label];
      const lines = [...this.labelLines, line];
      if (values.every(isNumber)) numericLabelError(values, lines, this.file);
      throw new DatasetError(
        'label-out-of-range',
        `line ${line}: more than ${MAX_CLASSES} distinct labels in column '${this.layout?.names[this.layout.labelCol]}'; at most ${MAX_CLASSES} classes are supported`,
        this.file,
      );
    }
    this.labelIndex.set(label, this.labelValues.length);
    this.labelValues.push(label);
    this.labelLines.push(line);
    return this.labelValues.length - 1;
  }

  /** More room for rows: doubles, never past what the limits allow (checked here, before allocating). */
  private grow(): void {
    // Counted with the examples other files of the same import already hold.
    checkBudget(this.priorExamples + this.rows + 1, this.d, this.file, this.budgetBytes, true);
    const byBudget = Math.floor(this.budgetBytes / (4 * this.d)) - this.priorExamples;
    const capacity = Math.min(Math.max(1024, 2 * this.capacity), byBudget, MAX_EXAMPLES - this.priorExamples);
    const x = new Float32Array(capacity * this.d);
    x.set(this.x);
    const ids = new Uint16Array(capacity);
    ids.set(this.ids);
    this.x = x;
    this.ids = ids;
    this.capacity = capacity;
  }
}

/** Parses a whole CSV file (already in memory) into numeric features and label indices. */
export function parseCsv(
  bytes: Uint8Array,
  file: string,
  options: CsvOptions = {},
  budgetBytes: number = MEMORY_BUDGET_BYTES,
  limits: Omit<CsvLimits, 'budgetBytes'> = {},
): CsvTable {
  if (bytes.length === 0) throw new DatasetError('empty-file', 'the file is empty', file);
  const maxText = limits.maxTextBytes ?? csvTextLimit(budgetBytes);
  if (bytes.length > maxText) {
    throw new DatasetError(
      'too-large',
      `${formatBytes(bytes.length)} of CSV text is over the ${formatBytes(maxText)} limit for one CSV file`,
      file,
    );
  }
  const reader = new CsvReader(file, options, { ...limits, budgetBytes });
  reader.push(bytes);
  return reader.end();
}

/** Parses a CSV file as its bytes arrive (e.g. from gunzipChunks); stops reading at the first problem. */
export async function readCsv(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  options: CsvOptions = {},
  limits: CsvLimits = {},
): Promise<CsvTable> {
  const reader = new CsvReader(file, options, limits);
  for await (const chunk of chunks) reader.push(chunk);
  return reader.end();
}

/** Throws for the first (by line) numeric label that is not a class index; returns when there is none. */
function numericLabelError(values: readonly string[], lines: readonly number[], file: string): void {
  let bad = -1;
  values.forEach((s, i) => {
    const v = Number(s);
    if ((!Number.isInteger(v) || v < 0 || v >= MAX_CLASSES) && (bad < 0 || lines[i] < lines[bad])) bad = i;
  });
  if (bad >= 0) {
    throw new DatasetError(
      'label-out-of-range',
      `line ${lines[bad]}: label '${values[bad]}' is not a class index; numeric labels must be integers 0–${MAX_CLASSES - 1}`,
      file,
    );
  }
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
  const numeric = tables.every((t) => t.labelValues.every(isNumber));
  if (numeric) {
    for (const t of tables) numericLabelError(t.labelValues, t.labelLines, t.file);
    let max = 0;
    const y = tables.map((t) => {
      const index = t.labelValues.map(Number);
      for (const v of index) max = Math.max(max, v);
      return Int32Array.from(t.labelIds, (id) => index[id]);
    });
    return { y, numClasses: Math.max(2, max + 1), classNames: null };
  }
  const names = Array.from(new Set(tables.flatMap((t) => t.labelValues))).sort();
  if (names.length > MAX_CLASSES) {
    throw new DatasetError(
      'label-out-of-range',
      `${names.length} distinct text labels; at most ${MAX_CLASSES} classes are supported`,
      tables[0].file,
    );
  }
  const index = new Map(names.map((n, i) => [n, i]));
  const y = tables.map((t) => {
    const ids = t.labelValues.map((s) => index.get(s) as number);
    return Int32Array.from(t.labelIds, (id) => ids[id]);
  });
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
