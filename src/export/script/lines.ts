/** Python source as lines: indentation and top-level layout, so each section writer writes its body flat. */

export type Lines = readonly string[];

/** `lines` indented by `levels` × 4 spaces; blank lines stay empty. */
export function indent(lines: Lines, levels = 1): string[] {
  const pad = '    '.repeat(levels);
  return lines.map((l) => (l === '' ? '' : pad + l));
}

/** `def signature:` with its body indented one level, after its decorators. */
export function pyFunction(signature: string, body: Lines, decorators: Lines = []): string[] {
  return [...decorators, `def ${signature}:`, ...indent(body)];
}

/** Top-level blocks separated by two blank lines, as PEP 8 has them; empty blocks are skipped. */
export function topLevel(...blocks: Lines[]): string[] {
  return blocks.filter((b) => b.length > 0).flatMap((b, i) => (i === 0 ? [...b] : ['', '', ...b]));
}
