/**
 * Measurement runner for the lessons lab (issue #12). Trains every run of an experiment file in this
 * process (Node, TF.js CPU backend, the same engine and training loop as `autoclip train`) and
 * appends one JSON line per run to a results file; then prints mean / min / max over seeds.
 *
 *   npx tsx docs/lessons-lab/lab.ts docs/lessons-lab/experiments/<name>.json [--out FILE] [--fresh]
 *
 * An experiment file:
 *   {
 *     "base": <run config> | "path/to/run.json" (relative to the experiment file),
 *     "seeds": [1, 2, 3],
 *     "grid": { "data.name": ["spirals", "circle"], "data.n": [600, 2000] },    // optional, crossed
 *     "runs": [ { "label": "abadi R=0.1", "set": { "privacy.clipping": "abadi" }, "lrTimesR": 0.5, "steps": 300 },
 *               { "label": "preset", "config": "../lessons/x/run.json" } ],      // optional, crossed with the grid
 *     "curve": false   // true: evaluate every train.evalEvery steps and keep the curve
 *   }
 * "set" overrides fields by dotted path. "lrTimesR": c sets train.learningRate = c / privacy.maxGradNorm
 * (the paper's lr_Abadi = lr_AUTO / R). "steps": T (in a run, or as a grid key) sets train.epochs so
 * the run takes exactly T steps (⌊epochs·N/B⌋ = T). Every config is validated by the app's schema before it runs.
 *
 * Results (default: results/<experiment name>.jsonl beside experiments/) are appended, one line per run; a run already
 * in the file (same label, overrides and seed) is skipped, so an interrupted experiment resumes.
 * The same configs give the same numbers with `npx autoclip train --config run.json --json`
 * (privacy.secureNoise false: seeded noise and sampling).
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseRunConfig, type RunConfig } from '../../src/config/runConfig';
import { testRowsOf } from '../../src/data/split';
import { summariseSeeds } from '../../src/lessons';
import { epochsForSteps } from '../../src/lessons/presets';
import { TrainingRun } from '../../src/engine/trainingRun';
import { initNodeBackend, loadData, trainToEnd } from '../../cli/training';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface RunSpec {
  label?: string;
  set?: Record<string, Json>;
  config?: string;
  lrTimesR?: number;
  steps?: number;
}

interface Experiment {
  base?: Json;
  seeds?: number[];
  grid?: Record<string, Json[]>;
  runs?: RunSpec[];
  curve?: boolean;
}

export interface RunResult {
  key: string;
  label: string;
  overrides: Record<string, Json>;
  seed: number;
  testAcc: number;
  trainAcc: number;
  testLoss: number;
  steps: number;
  plannedSteps: number;
  sigma: number | null;
  epsilon: number | null;
  msPerStep: number;
  /** Wall time of the whole run: data, σ calibration, model, training and evaluation. */
  seconds: number;
  stopReason: string | null;
  divergedAt: number | null;
  curve?: { step: number; testAcc: number; epsilon?: number }[];
}

function setPath(target: Record<string, Json>, path: string, value: Json): void {
  const keys = path.split('.');
  let node = target;
  for (const k of keys.slice(0, -1)) {
    const next = node[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) throw new Error(`override ${path}: ${k} is not an object`);
    node = next;
  }
  const last = keys[keys.length - 1];
  if (!(last in node)) throw new Error(`override ${path}: no field ${last} (typo?)`);
  node[last] = value;
}

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

/** Epochs that give exactly `steps` steps on a 2D set (⌊epochs·N/B⌋ = steps, as the lessons' presets count them). */
function epochsFor(steps: number, raw: Record<string, Json>): number {
  const data = raw.data as Record<string, Json>;
  if (data.source !== 'synthetic') throw new Error('"steps" needs a 2D (synthetic) set');
  const n = data.n as number;
  return epochsForSteps(steps, n - testRowsOf(n, data.testFraction as number), (raw.train as Record<string, Json>).batchSize as number);
}

function cartesian(grid: Record<string, Json[]>): Record<string, Json>[] {
  let out: Record<string, Json>[] = [{}];
  for (const [path, values] of Object.entries(grid)) out = out.flatMap((o) => values.map((v) => ({ ...o, [path]: v })));
  return out;
}

function describe(o: Record<string, Json>): string {
  return Object.entries(o)
    .map(([k, v]) => `${k.split('.').pop()}=${JSON.stringify(v)}`)
    .join(' ');
}

export interface PlannedRun {
  key: string;
  label: string;
  overrides: Record<string, Json>;
  seed: number;
  config: RunConfig;
}

/** Expands an experiment file into validated run configs (throws naming the run and the field). */
export function planExperiment(file: string): { runs: PlannedRun[]; curve: boolean } {
  const exp = readJson(file) as Experiment;
  const here = dirname(resolve(file));
  const load = (ref: Json | undefined): Json => (typeof ref === 'string' ? readJson(resolve(here, ref)) : (ref ?? null));
  const specs: RunSpec[] = exp.runs?.length ? exp.runs : [{}];
  const cells = cartesian(exp.grid ?? {});
  const runs: PlannedRun[] = [];
  for (const spec of specs) {
    for (const cell of cells) {
      for (const seed of exp.seeds ?? [1]) {
        const raw = structuredClone(load(spec.config ?? exp.base)) as Record<string, Json>;
        if (raw === null || typeof raw !== 'object') throw new Error(`${file}: no base config for run ${spec.label ?? ''}`);
        const overrides: Record<string, Json> = { ...(spec.set ?? {}), ...cell };
        for (const [path, value] of Object.entries(spec.set ?? {})) setPath(raw, path, value);
        const { steps, ...configCell } = cell;
        for (const [path, value] of Object.entries(configCell)) setPath(raw, path, value);
        const wantSteps = (steps as number | undefined) ?? spec.steps;
        if (wantSteps !== undefined) {
          const epochs = epochsFor(wantSteps, raw);
          setPath(raw, 'train.epochs', epochs);
        }
        if (spec.lrTimesR !== undefined) {
          const R = (raw.privacy as Record<string, Json>).maxGradNorm as number;
          const lr = spec.lrTimesR / R;
          setPath(raw, 'train.learningRate', lr);
          overrides['train.learningRate'] = lr;
        }
        raw.seed = seed;
        const label = [spec.label ?? spec.config ?? '', describe(cell)].filter(Boolean).join(' ') || 'base';
        const check = parseRunConfig(raw);
        if (!check.ok) throw new Error(`${file}: run "${label}" seed ${seed}: ${check.errors.join('; ')}`);
        runs.push({ key: JSON.stringify([label, overrides, seed]), label, overrides, seed, config: check.config });
      }
    }
  }
  return { runs, curve: exp.curve === true };
}

/** Trains one config to the end in this process, as `autoclip train` does. */
export async function trainOnce(config: RunConfig, curve: boolean): Promise<Omit<RunResult, 'key' | 'label' | 'overrides' | 'seed'>> {
  await initNodeBackend();
  const started = performance.now();
  const split = await loadData(config);
  const run = TrainingRun.create(config, split);
  try {
    const o = await trainToEnd(run, curve ? { evalEvery: config.train.evalEvery } : { evalEvery: Infinity, evalFirst: false });
    const result: Omit<RunResult, 'key' | 'label' | 'overrides' | 'seed'> = {
      testAcc: o.testAcc,
      trainAcc: o.trainAcc,
      testLoss: o.testLoss,
      steps: o.steps,
      plannedSteps: run.totalSteps,
      sigma: run.privacy.sigma,
      epsilon: o.epsilon,
      msPerStep: o.trainingMs / Math.max(1, o.steps),
      seconds: (performance.now() - started) / 1000,
      stopReason: o.stopReason,
      divergedAt: o.divergedAt,
    };
    if (curve) {
      result.curve = o.points
        .filter((p) => p.testAcc !== undefined)
        .map((p) => ({ step: p.step, testAcc: p.testAcc!, ...(p.epsilon !== undefined ? { epsilon: p.epsilon } : {}) }));
    }
    return result;
  } finally {
    run.dispose();
  }
}

export function readResults(path: string): RunResult[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RunResult);
}

const pct = (x: number) => (100 * x).toFixed(1);

/** Mean, sd, min and max of test accuracy over seeds, per label (in first-seen order). */
export function summarise(results: RunResult[]): string[] {
  const groups = new Map<string, RunResult[]>();
  for (const r of results) groups.set(r.label, [...(groups.get(r.label) ?? []), r]);
  const lines = ['label | seeds | test acc mean ± sd [min, max] | ms/step | s/run'];
  for (const [label, rs] of groups) {
    const { mean, sd, min, max } = summariseSeeds(rs.map((r) => r.testAcc));
    const ms = rs.reduce((s, r) => s + r.msPerStep, 0) / rs.length;
    const sec = rs.reduce((s, r) => s + r.seconds, 0) / rs.length;
    lines.push(
      `${label} | ${rs.map((r) => r.seed).join(',')} | ${pct(mean)} ± ${pct(sd)} [${pct(min)}, ${pct(max)}] | ${ms.toFixed(1)} | ${sec.toFixed(1)}`,
    );
  }
  return lines;
}

async function main(argv: string[]): Promise<void> {
  const file = argv.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: npx tsx docs/lessons-lab/lab.ts EXPERIMENT.json [--out FILE] [--fresh]');
  const outFlag = argv.indexOf('--out');
  const out = outFlag >= 0 ? argv[outFlag + 1] : join(dirname(file), '..', 'results', basename(file).replace(/\.json$/, '.jsonl'));
  if (argv.includes('--fresh')) writeFileSync(out, '');
  const { runs, curve } = planExperiment(file);
  const done = new Set(readResults(out).map((r) => r.key));
  const todo = runs.filter((r) => !done.has(r.key));
  process.stderr.write(`${file}: ${runs.length} runs, ${todo.length} to do → ${out}\n`);
  for (const [i, r] of todo.entries()) {
    const result: RunResult = { key: r.key, label: r.label, overrides: r.overrides, seed: r.seed, ...(await trainOnce(r.config, curve)) };
    appendFileSync(out, JSON.stringify(result) + '\n');
    process.stderr.write(
      `[${i + 1}/${todo.length}] ${r.label} seed ${r.seed}: test ${pct(result.testAcc)}% train ${pct(result.trainAcc)}% ` +
        `σ=${result.sigma?.toFixed(3) ?? '-'} ${result.steps} steps ${result.msPerStep.toFixed(1)} ms/step ${result.seconds.toFixed(1)} s\n`,
    );
  }
  const keys = new Set(runs.map((r) => r.key));
  for (const line of summarise(readResults(out).filter((r) => keys.has(r.key)))) console.log(line);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
