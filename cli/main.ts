/**
 * `autoclip` command-line entry: dispatches `autoclip <command> [options]` to cli/commands/<name>.ts.
 * Exit codes: 0 success, 1 failure while computing, 2 bad usage (one line on stderr naming the
 * argument). To add a command, implement `Command` in cli/commands/<name>.ts and list it below.
 */
import { pathToFileURL } from 'node:url';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './args';
import type { Command, CommandIO } from './command';
import { epsilonCommand } from './commands/epsilon';
import { exportCommand } from './commands/export';
import { lessonCommand } from './commands/lesson';
import { sigmaCommand } from './commands/sigma';
import { stepsCommand } from './commands/steps';
import { sweepCommand } from './commands/sweep';
import { trainCommand } from './commands/train';
import { PrivacyParameterError } from '../src/privacy';

/** Registered subcommands, alphabetical. */
export const COMMANDS: readonly Command[] = [
  epsilonCommand,
  exportCommand,
  lessonCommand,
  sigmaCommand,
  stepsCommand,
  sweepCommand,
  trainCommand,
];

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: autoclip <command> [options]',
    '',
    'Differential-privacy calculator for DP-SGD with Poisson sampling, and training, sweeps and PyTorch export',
    'of playground configs in Node (AutoClip Playground).',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'autoclip <command> --help' for the options of a command.",
  ].join('\n');
}

export async function main(argv: readonly string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(`autoclip: missing command (expected one of: ${COMMANDS.map((c) => c.name).join(', ')}); run 'autoclip --help'`);
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    // Help takes at most a command name; anything else is a usage error like everywhere else.
    const [topic, ...extra] = rest;
    const command = COMMANDS.find((c) => c.name === topic);
    const bad = topic === undefined ? undefined : command ? extra[0] : topic;
    if (bad !== undefined) {
      io.err(
        `autoclip: ${bad.startsWith('-') ? `unknown option '${bad}'` : `unexpected argument '${bad}'`} after ${name}; run 'autoclip --help'`,
      );
      return EXIT_USAGE;
    }
    io.out(command ? command.help : topHelp());
    return EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`autoclip: unknown command '${name}' (expected one of: ${COMMANDS.map((c) => c.name).join(', ')})`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`autoclip ${name}: ${err.message}`);
      return EXIT_USAGE;
    }
    if (err instanceof PrivacyParameterError) {
      // Name the flag, not the API parameter: targetEpsilon → --target-epsilon.
      const flag = `--${err.param.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      io.err(`autoclip ${name}: ${flag}${err.message.slice(err.param.length)}`);
      return EXIT_FAILURE;
    }
    io.err(`autoclip ${name}: error: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT_FAILURE;
  }
}

/**
 * A line writer for stdout or stderr that goes quiet when the reader goes away (`autoclip … | head -1`
 * closes the pipe: EPIPE). The command still runs to its end, so files it writes (--out) are complete,
 * and exits with its own status; nothing is printed about the closed pipe.
 */
function lineWriter(stream: NodeJS.WriteStream): (line: string) => void {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
    closed = true;
  });
  return (line) => {
    if (!closed && !stream.destroyed) stream.write(`${line}\n`);
  };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
const viaBin = (globalThis as { __AUTOCLIP_BIN__?: boolean }).__AUTOCLIP_BIN__ === true;
if (invokedDirectly || viaBin) {
  const stdio: CommandIO = { out: lineWriter(process.stdout), err: lineWriter(process.stderr) };
  process.exitCode = await main(process.argv.slice(2), stdio);
}
