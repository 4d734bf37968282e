/**
 * Reading run and sweep configs from files for `autoclip train | sweep | export`: an unreadable
 * file, bad JSON or a config the schema rejects is a usage error (exit 2) naming the field.
 */
import { parseRunConfig, type RunConfig } from '../src/config/runConfig';
import { parseSweepConfig, type SweepConfig } from '../src/config/sweepConfig';
import { readBoundedFile } from '../src/data/boundedFile';
import { formatBytes } from '../src/data/limits';
import { UsageError } from './args';

/** Config files are small; anything larger cannot be one, and is refused before it is read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads a JSON file of at most MAX_CONFIG_BYTES: a regular file only (not /dev/zero or a pipe), and
 * never more than the limit plus one byte, whatever the file claims or does while being read.
 */
export async function readJsonFile(path: string): Promise<unknown> {
  const r = await readBoundedFile(path, MAX_CONFIG_BYTES);
  if (!r.ok) {
    if (r.problem === 'too-large') {
      // The size on disk when stat told it; "more than" when the file grew while it was read.
      const size =
        r.size !== undefined && r.size > MAX_CONFIG_BYTES + 1 ? formatBytes(r.size) : `more than ${formatBytes(MAX_CONFIG_BYTES)}`;
      throw new UsageError(`config file '${path}' is ${size}, over the ${formatBytes(MAX_CONFIG_BYTES)} limit for a config file`);
    }
    throw new UsageError(`cannot read config file '${path}': ${r.detail}`);
  }
  const text = new TextDecoder().decode(r.bytes);
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UsageError(`config file '${path}' is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Problems joined on one line ("train.learningRate must be > 0; seed must be an integer"). */
function invalid(errors: readonly string[], what: string): UsageError {
  return new UsageError(`invalid ${what}: ${errors.join('; ')}`);
}

export async function readRunConfig(path: string): Promise<RunConfig> {
  const r = parseRunConfig(await readJsonFile(path));
  if (!r.ok) throw invalid(r.errors, 'config');
  return r.config;
}

export async function readSweepConfig(path: string): Promise<SweepConfig> {
  const r = parseSweepConfig(await readJsonFile(path));
  if (!r.ok) throw invalid(r.errors, 'sweep config');
  return r.config;
}

/** The CLI trains on synthetic sets and the embedded MNIST; imported sets live in a browser session. */
export function assertCliData(config: RunConfig, field = 'data.source'): void {
  if (config.data.source === 'imported') {
    throw new UsageError(
      `invalid config: ${field} 'imported' refers to a dataset imported in a browser session; the CLI trains on 'synthetic' or 'mnist'`,
    );
  }
}
