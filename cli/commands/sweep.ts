/** `autoclip sweep`: the R × learning-rate grid, at one privacy level, in Node. */
import { writeFile } from 'node:fs/promises';
import { SWEEP_CLIPPINGS, sweepSeeds } from '../../src/config/sweepConfig';
import type { TrainingRun } from '../../src/engine/trainingRun';
import type { RunConfig } from '../../src/config/runConfig';
import {
  clippingLabel,
  describeSweepRun,
  expandSweep,
  formatSweepTable,
  pct,
  planSweepPrivacy,
  summarizeSweep,
  sweepRunResult,
  sweepCellStats,
  sweepCsv,
  type SweepCellResult,
  type SweepPrivacy,
  type SweepRun,
} from '../../src/sweep';
import { drainRunQueue } from '../../src/sweep/runQueue';
import { EXIT_FAILURE, EXIT_OK, numberIn, parseFlags, parseNumber, positiveInteger, requireFlag, UsageError } from '../args';
import type { Command } from '../command';
import { fmt, printJson } from '../command';
import { assertCliData, readSweepConfig } from '../config';
import { caveatWarning, formatDuration } from '../format';
import { checkOutputPath } from '../outputPath';

const HELP = `Usage: autoclip sweep --config sweep.json [--out results.csv] [--json] [--concurrency K] [--quiet]

Trains every cell of a clipping sweep in Node (TF.js CPU backend), once per seed, and prints the
test accuracy table over (R, lr) with automatic clipping beside it (mean ± sd and n over the seeds),
and a summary sentence that says whether the differences exceed the seed-to-seed spread.

  --config FILE      sweep file: { "base": <run config>, "clipping": {
                       "abadi": { "R": [0.01, 0.1, 1, 10], "lr": [0.001, 0.003] },
                       "auto-s": { "lr": [0.001, 0.003] },
                       "auto-v": { "lr": [...] }, "global": { "R": [...], "lr": [...] } },
                     "seeds": [1, 2, 3] }
                     (each grid optional, at least one; seeds optional, default the base's seed,
                     at most 10 distinct positive integers, cells × seeds ≤ 400). The base is a
                     run config as the playground's "Download config" writes it;
                     base.privacy.enabled must be true.
  --out FILE         write one CSV row per cell (clipping,R,lr,n,testAccMean,testAccSd,
                     trainAccMean,epsilon,sigma,steps,seconds,diverged,notCoveredByAccountant,
                     seededRandomness, then testAcc_seed<S> for each seed S); rewritten after
                     every run, so an interrupted sweep keeps what finished
  --json             print { privacy, seeds, cells, grid, failures, summary, seconds } as one JSON
                     object on stdout: cells has one entry per run (cell and seed), grid one per
                     cell with its mean, sd and n over seeds
  --concurrency K    cells in flight (default 1). Node's CPU backend runs on one thread, so K > 1
                     interleaves cells but does not finish sooner.
  --quiet            no progress lines on stderr (a privacy warning is still printed)
  -h, --help         show this help

σ is calibrated once from the base config (its target ε, δ, accountant, batch size, epochs and the
training set size) and used by every cell, so every cell has the same q, σ, steps and ε. A cell's
seeds run one after another; each run is evaluated once, at the end of training. Automatic clipping
runs first.
Shuffled batches and seeded randomness in the base are flagged in every output (JSON privacy and
cells, CSV columns, the summary sentence, one "sweep: warning:" line on stderr), as for train.`;

export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'train an R × learning-rate grid (Abadi) beside automatic clipping at one ε, print the table',
  help: HELP,
  async run(argv, io) {
    const values = parseFlags(argv, {
      config: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      concurrency: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.out(HELP);
      return EXIT_OK;
    }
    const configPath = requireFlag(values, 'config');
    const concurrency =
      values.concurrency === undefined ? 1 : positiveInteger('concurrency', parseNumber('concurrency', values.concurrency));
    numberIn('concurrency', concurrency, 1, 16, true, true);
    const out = values.out === undefined ? undefined : String(values.out);
    if (out !== undefined) await checkOutputPath('out', out);
    const sweep = await readSweepConfig(configPath);
    assertCliData(sweep.base, 'base.data.source');
    const progress = (line: string) => {
      if (!values.quiet) io.err(line);
    };

    // TF.js and the engine load only for the commands that train (the calculator commands start fast).
    const { initNodeBackend, loadData } = await import('../training');
    const { trainToEnd } = await import('../../src/engine/trainToEnd');
    const { TrainingRun } = await import('../../src/engine/trainingRun');
    await initNodeBackend();
    const split = await loadData(sweep.base);
    // A run's seed also draws its data (a 2D set's points, the train/test split), as in the playground:
    // each seed's runs train on that seed's split, loaded once.
    const splits = new Map([[sweep.base.seed, Promise.resolve(split)]]);
    const splitFor = (config: RunConfig) => {
      if (!splits.has(config.seed)) splits.set(config.seed, loadData(config));
      return splits.get(config.seed)!;
    };
    let privacy: SweepPrivacy;
    try {
      privacy = planSweepPrivacy(sweep.base, split.train.y.length);
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(`invalid sweep config: base.${e.message}`);
      throw e;
    }
    const cells = expandSweep(sweep, privacy.sigma);
    const seeds = sweepSeeds(sweep);
    const testSize = split.test.y.length;
    const grids = SWEEP_CLIPPINGS.flatMap((c) => {
      const g = sweep.clipping[c];
      return g ? [`${clippingLabel(c)} ${'R' in g ? `${g.R.length} R × ` : ''}${g.lr.length} lr`] : [];
    });
    progress(
      `sweep: ${cells.length / seeds.length} cells (${grids.join(', ')}) × ${seeds.length} seed${seeds.length > 1 ? 's' : ''} (${seeds.join(', ')}) = ${cells.length} runs on ${split.train.name} (${split.train.y.length} train / ${testSize} test)`,
    );
    progress(`sweep: ${privacy.note}; ε = ${fmt(privacy.epsilon)} for every cell`);
    const warning = caveatWarning('sweep', privacy);
    if (warning) io.err(warning);

    const started = performance.now();
    // Finished runs in the order they finish (the CSV is rewritten after each), and the failures.
    const finished: SweepCellResult[] = [];
    const failures: string[] = [];
    const writeCsv = async (results: readonly SweepCellResult[]) => {
      if (out !== undefined) await writeFile(out, sweepCsv(sweep, results));
    };
    const report = (cell: SweepRun, line: string) =>
      progress(`[${finished.length + failures.length}/${cells.length}] ${describeSweepRun(cell)}: ${line}`);
    const settled = await drainRunQueue(cells, concurrency, async (cell) => {
      let run: TrainingRun | undefined;
      try {
        run = TrainingRun.create(cell.config, await splitFor(cell.config));
        const o = await trainToEnd(run, { evalEvery: Infinity, evalFirst: false });
        const result = sweepRunResult(cell, privacy, o.points, o.divergedAt !== null);
        finished.push(result);
        const elapsed = (performance.now() - started) / 1000;
        const left = ((elapsed / finished.length) * (cells.length - finished.length - failures.length)) / concurrency;
        const note = o.stopReason !== null ? ` — ${o.stopReason}` : '';
        const accuracy = result.diverged ? 'diverged' : `test ${pct(result.testAcc)}, train ${pct(result.trainAcc)}`;
        report(
          cell,
          `${accuracy}, ε ${fmt(result.epsilon)} (${formatDuration(result.seconds)}${finished.length + failures.length < cells.length ? `; about ${formatDuration(left)} left` : ''})${note}`,
        );
        await writeCsv(finished);
        return result;
      } catch (e) {
        failures.push(`${describeSweepRun(cell)}: ${e instanceof Error ? e.message : String(e)}`);
        report(cell, `failed: ${failures[failures.length - 1]}`);
        throw e;
      } finally {
        run?.dispose();
      }
    });

    // Results in grid order (the queue settles runs in planned order).
    const results = settled.flatMap((s) => (s?.outcome === 'done' ? [s.value] : []));
    await writeCsv(results);
    const summary = summarizeSweep(sweep, results, { testSize });
    const seconds = (performance.now() - started) / 1000;
    if (values.json) {
      const grid = sweepCellStats(sweep, results).map(({ runs, testAcc, ...cell }) => ({
        ...cell,
        n: testAcc?.n ?? 0,
        testAccMean: testAcc?.mean ?? null,
        testAccSd: testAcc?.sd ?? null,
        finished: runs.length,
      }));
      printJson(io, { privacy, seeds, cells: results, grid, failures, summary, seconds });
    } else {
      io.out(
        `Test accuracy at ε = ${fmt(privacy.epsilon)} (δ = ${privacy.delta}, ${privacy.accountant}), σ = ${fmt(privacy.sigma)}, q = ${fmt(privacy.sampleRate)}, ${privacy.steps} steps:`,
      );
      io.out(formatSweepTable(sweep, results));
      io.out('');
      io.out(summary.sentence);
      io.out(`${results.length} runs in ${formatDuration(seconds)}${out !== undefined ? `; results in ${out}` : ''}`);
    }
    for (const f of failures) io.err(`error: ${f}`);
    return failures.length ? EXIT_FAILURE : EXIT_OK;
  },
};
