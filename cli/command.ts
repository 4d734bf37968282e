/** The contract every `autoclip` subcommand implements (cli/commands/<name>.ts). */
import { parseFlags, type FlagOptions, type RawValues } from './args';

export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
}

export interface Command {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  /** Returns the exit code; throw UsageError for bad arguments (exit 2). */
  run(argv: readonly string[], io: CommandIO): Promise<number> | number;
}

/** Format a number for humans: 6 significant digits. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Number(x.toPrecision(6)).toString();
}

export function printJson(io: CommandIO, value: unknown): void {
  io.out(JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2));
}

/**
 * A command's flags, parsed strictly (`parseFlags`) with -h/--help added; null when help was asked
 * for: the help is printed and the command returns EXIT_OK without doing anything else.
 */
export function flagsUnlessHelp(argv: readonly string[], options: FlagOptions, help: string, io: CommandIO): RawValues | null {
  const values = parseFlags(argv, { ...options, help: { type: 'boolean', short: 'h' } });
  if (!values.help) return values;
  io.out(help);
  return null;
}
