/**
 * Reading run and sweep configs from files for `autoclip train | sweep | export`: an unreadable
 * file, bad JSON or a config the schema rejects is a usage error (exit 2) naming the field.
 */
import { readFile } from 'node:fs/promises';
import { parseRunConfig, type RunConfig } from '../src/config/runConfig';
import { parseSweepConfig, type SweepConfig } from '../src/config/sweepConfig';
import { UsageError } from './args';

/** Config files are small; refuse anything that cannot be one before parsing it. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_CONFIG_BYTES) throw new UsageError(`config file '${path}' is larger than 1 MiB; a config is a small JSON object`);
    text = bytes.toString('utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : e instanceof Error ? e.message : String(e);
    throw new UsageError(`cannot read config file '${path}': ${why}`);
  }
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
    throw new UsageError(`invalid config: ${field} 'imported' refers to a dataset imported in a browser session; the CLI trains on 'synthetic' or 'mnist'`);
  }
}
