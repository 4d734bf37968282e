/**
 * The only ways a value enters a generated Python script (src/export/pytorch.ts). A string becomes a
 * Python string literal through `pyStr` and nowhere else (never inside a docstring or a comment); a
 * number goes through `pyFloat` or `pyInt`, which refuse what Python could not read back as the
 * same number. Docstrings are fixed text checked by `pyDocstring`.
 */

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0');
}

/**
 * `s` as a double-quoted Python 3 string literal that evaluates to exactly `s`. The literal is
 * printable ASCII: quotes and backslashes are escaped, every other character outside 0x20–0x7e is
 * written as \xNN, \uNNNN or \UNNNNNNNN, so no input can end the literal, start a line or hide
 * behind a look-alike character.
 */
export function pyStr(s: string): string {
  let out = '"';
  for (const ch of s) {
    // for…of walks code points; a lone surrogate comes through as one unit and is escaped as \uDxxx.
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else if (c <= 0xff) out += `\\x${hex(c, 2)}`;
    else if (c <= 0xffff) out += `\\u${hex(c, 4)}`;
    else out += `\\U${hex(c, 8)}`;
  }
  return `${out}"`;
}

/** A finite number as a Python literal (JS and Python read "1e-7", "1e+21", "0.25" alike). */
export function pyFloat(x: number, what = 'a number'): string {
  if (typeof x !== 'number' || !Number.isFinite(x))
    throw new RangeError(`export: ${what} is ${String(x)}; only finite numbers can be written into a script`);
  return String(x);
}

/** A safe integer as a Python literal. */
export function pyInt(x: number, what = 'an integer'): string {
  if (!Number.isSafeInteger(x)) throw new RangeError(`export: ${what} is ${String(x)}; expected an integer`);
  return String(x);
}

/**
 * A docstring from lines of fixed text. It refuses what could end the literal or change its meaning
 * (a triple quote, a backslash, a control character): a value that needs those is data, and data
 * goes through `pyStr` into a constant.
 */
export function pyDocstring(lines: readonly string[], indent = ''): string[] {
  for (const line of lines) {
    // eslint-disable-next-line no-control-regex
    if (line.includes('"""') || line.includes('\\') || /[\u0000-\u001f\u007f\u2028\u2029]/.test(line)) {
      throw new Error(`export: docstring text may not contain triple quotes, backslashes or control characters: ${JSON.stringify(line)}`);
    }
  }
  if (lines.length === 1) {
    if (lines[0].endsWith('"')) throw new Error(`export: a one-line docstring may not end with a quote: ${JSON.stringify(lines[0])}`);
    return [`${indent}"""${lines[0]}"""`];
  }
  return [`${indent}"""${lines[0]}`, ...lines.slice(1).map((l) => (l === '' ? '' : `${indent}${l}`)), `${indent}"""`];
}
