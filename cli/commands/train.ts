/** `autoclip train`: one run of a playground config, trained to the end in Node. */
import { writeFile } from 'node:fs/promises';
import { clippingFunction } from '../../src/clipping/functions';
import { CAVEAT_LABELS, type PrivacyCaveats } from '../../src/config/privacyCaveats';
import type { RunConfig } from '../../src/config/runConfig';
import type { TrainingRun } from '../../src/engine/trainingRun';
import { metricsCsv } from '../../src/persistence/exchange';
import type { MetricPoint } from '../../src/domain/metricPoint';
import { EXIT_FAILURE, EXIT_OK, requireFlag, TRAINING_OUTPUT_OPTIONS, UsageError } from '../args';
import type { Command } from '../command';
import { flagsUnlessHelp, fmt, printJson } from '../command';
import { assertCliData, readRunConfig } from '../config';
import { caveatWarning, formatDuration } from '../format';
import { checkOutputPath } from '../outputPath';

const HELP = `Usage: autoclip train --config run.json [--json] [--out metrics.csv] [--quiet]

Trains one run in Node (TF.js CPU backend) from a run config: the JSON file the playground's
"Download config" writes. Progress goes to stderr about every 2 s; the summary to stdout.

  --config FILE    run config (validated; a bad field is named, exit code 2)
  --json           print the summary as one JSON object on stdout
  --out FILE       write per-step metrics as CSV: step, epoch, loss, trainAcc, testAcc, epsilon,
                   epsilonRdp, samplesPerSec, elapsedMs (accuracy and ε on evaluation steps only,
                   every train.evalEvery steps; other cells empty)
  --quiet          no progress lines (a privacy warning is still printed: see below)
  -h, --help       show this help

The summary's ε is the configured accountant's value (PRV: its upper bound) for the run's sample
rate q, noise multiplier σ and steps; 'autoclip epsilon' with those numbers gives the same value.
Two settings make that ε not the guarantee it looks like, and are flagged in every output (the
--json fields notCoveredByAccountant and seededRandomness, a line in the text summary, and one
"train: warning:" line on stderr, even with --quiet): shuffled batches (privacy.sampling "shuffle";
the accountants assume Poisson sampling) and seeded randomness (privacy.secureNoise false).`;

/** What `train` reports at the end (also the --json object), privacy caveats included as flags. */
export interface TrainSummary extends PrivacyCaveats {
  steps: number;
  plannedSteps: number;
  epochs: number;
  trainAcc: number;
  testAcc: number;
  testLoss: number;
  private: boolean;
  clipping: RunConfig['privacy']['clipping'] | 'none';
  /** ε by `accountant` after `steps` steps (null without privacy). */
  epsilon: number | null;
  epsilonRdp: number | null;
  accountant: string;
  delta: number;
  sigma: number | null;
  sampleRate: number;
  /** Wall-clock seconds, data loading excluded. */
  seconds: number;
  trainingSeconds: number;
  samplesPerSec: number;
  divergedAtStep: number | null;
  /** Why training ended before the planned steps (divergence, hard privacy budget), or null. */
  stopReason: string | null;
  notes: string[];
}

function progressLine(p: MetricPoint, total: number, lastTestAcc: number | undefined, accountant: string): string {
  const parts = [`step ${p.step}/${total}`, `loss ${fmt(p.loss)}`];
  if (lastTestAcc !== undefined) parts.push(`test acc ${(100 * lastTestAcc).toFixed(1)}%`);
  if (p.epsilon !== undefined) parts.push(`ε ${fmt(p.epsilon)} (${accountant})`);
  else if (p.epsilonRdp !== undefined) parts.push(`ε ≤ ${fmt(p.epsilonRdp)} (rdp)`);
  parts.push(`${Math.round(p.samplesPerSec)} samples/s`);
  return parts.join('  ');
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train one run from a config file (as the playground exports it) and print a summary',
  help: HELP,
  async run(argv, io) {
    const values = flagsUnlessHelp(
      argv,
      {
        config: { type: 'string' },
        out: { type: 'string' },
        ...TRAINING_OUTPUT_OPTIONS,
      },
      HELP,
      io,
    );
    if (values === null) return EXIT_OK;
    const config = await readRunConfig(requireFlag(values, 'config'));
    const out = values.out === undefined ? undefined : String(values.out);
    if (out !== undefined) await checkOutputPath('out', out);
    assertCliData(config);

    // TF.js and the engine load only for the commands that train (the calculator commands start fast).
    const { assertCanStep, initNodeBackend, loadData } = await import('../training');
    const { trainToEnd } = await import('../../src/engine/trainToEnd');
    const { TrainingRun } = await import('../../src/engine/trainingRun');
    await initNodeBackend();
    const split = await loadData(config);
    let run: TrainingRun;
    try {
      run = TrainingRun.create(config, split);
    } catch (e) {
      // The config does not fit the data (batch larger than the set, a CNN on 2D points, ...).
      if (e instanceof RangeError || (e instanceof Error && /^buildModel: /.test(e.message))) {
        throw new UsageError(`invalid config: ${e.message.replace(/^buildModel: /, 'model: ')}`);
      }
      throw e;
    }
    const plan = run.privacy;
    const accountant = plan.accountantName;
    try {
      assertCanStep(run);
    } catch (e) {
      run.dispose();
      throw e;
    }
    if (!values.quiet) {
      io.err(
        `train: ${split.train.name} (${split.train.y.length} train / ${split.test.y.length} test), ${config.model.preset}, ${run.totalSteps} steps`,
      );
      for (const n of plan.notes) io.err(`train: ${n}`);
    }
    const warning = caveatWarning('train', plan.caveats);
    if (warning) io.err(warning);
    const started = performance.now();
    let lastPrint = started;
    let lastTestAcc: number | undefined;
    try {
      const o = await trainToEnd(run, {
        evalEvery: config.train.evalEvery,
        onPoint: (p) => {
          if (p.testAcc !== undefined) lastTestAcc = p.testAcc;
          const now = performance.now();
          if (values.quiet) return;
          if (p.step === 1 || now - lastPrint >= 2000 || p.step === run.totalSteps) {
            lastPrint = now;
            io.err(progressLine(p, run.totalSteps, lastTestAcc, accountant));
          }
        },
      });
      const seconds = (performance.now() - started) / 1000;
      const summary: TrainSummary = {
        steps: o.steps,
        plannedSteps: run.totalSteps,
        epochs: o.steps / run.stepsPerEpoch,
        trainAcc: o.trainAcc,
        testAcc: o.testAcc,
        testLoss: o.testLoss,
        private: plan.enabled,
        clipping: plan.enabled ? config.privacy.clipping : 'none',
        epsilon: o.epsilon,
        epsilonRdp: o.epsilonRdp,
        accountant,
        delta: plan.delta,
        sigma: plan.sigma,
        sampleRate: plan.sampleRate,
        seconds,
        trainingSeconds: o.trainingMs / 1000,
        samplesPerSec: o.samples / Math.max(1e-9, o.trainingMs / 1000),
        divergedAtStep: o.divergedAt,
        stopReason: o.stopReason,
        notes: [...plan.notes],
        ...plan.caveats,
      };
      if (out !== undefined) await writeFile(out, metricsCsv(o.points));
      if (values.json) printJson(io, summary);
      else printSummary(io.out, summary, config);
      if (o.stopReason !== null) io.err(`train: ${o.stopReason}`);
      return o.divergedAt !== null ? EXIT_FAILURE : EXIT_OK;
    } finally {
      run.dispose();
    }
  },
};

function printSummary(out: (line: string) => void, s: TrainSummary, config: RunConfig): void {
  out(
    `done: ${s.steps} steps (${fmt(s.epochs)} epochs) in ${formatDuration(s.seconds)}, ${Math.round(s.samplesPerSec)} samples/s while training`,
  );
  out(`  train acc ${(100 * s.trainAcc).toFixed(2)}%, test acc ${(100 * s.testAcc).toFixed(2)}%, test loss ${fmt(s.testLoss)}`);
  if (s.private) {
    const R = clippingFunction(s.clipping).usesR ? `, R = ${config.privacy.maxGradNorm}` : '';
    out(`  epsilon = ${fmt(s.epsilon!)} at delta = ${s.delta} (${s.accountant}; rdp bound ${fmt(s.epsilonRdp!)})`);
    out(`  sigma = ${fmt(s.sigma!)}, q = ${fmt(s.sampleRate)}, clipping ${s.clipping}${R}`);
    const flags = (Object.keys(CAVEAT_LABELS) as (keyof PrivacyCaveats)[]).filter((k) => s[k]).map((k) => CAVEAT_LABELS[k]);
    if (flags.length) out(`  warning: ${flags.join('; ')} — the epsilon above is not a guarantee for this run`);
  } else {
    out('  not private: no clipping, no noise (epsilon = ∞)');
  }
}
