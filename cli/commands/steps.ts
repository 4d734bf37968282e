/** `autoclip steps`: how many steps fit a privacy budget at a given noise multiplier. */
import { EPSILON_MAX, maxSteps, SIGMA_MAX, SIGMA_MIN } from '../../src/privacy';
import type { Command } from '../command';
import { flagsUnlessHelp, fmt, printJson } from '../command';
import {
  EXIT_OK,
  inputWarnings,
  PRIVACY_OPTIONS,
  readAccountant,
  readDelta,
  readNoiseMultiplier,
  readSampling,
  readTargetEpsilon,
} from '../args';

const { steps: _steps, epochs: _epochs, ...OPTIONS } = PRIVACY_OPTIONS;

const HELP = `Usage: autoclip steps --target-epsilon E --delta D --sample-rate Q --noise-multiplier S [--accountant rdp|prv|gdp] [--json]

The largest number of steps (and epochs) whose ε stays within the target.

  --target-epsilon E        target ε, in (0, ${EPSILON_MAX}]
  --noise-multiplier S      noise std / clipping norm, σ in [${SIGMA_MIN}, ${SIGMA_MAX}]
  --sample-rate Q | --dataset-size N --batch-size B
  --delta D                 target δ, in (0, 1)
  --accountant NAME         rdp (default) | prv | gdp
  --json                    print one JSON object on stdout
  -h, --help                show this help`;

export const stepsCommand: Command = {
  name: 'steps',
  summary: 'largest number of steps (epochs) that fits a target ε at a given noise multiplier',
  help: HELP,
  run(argv, io) {
    const values = flagsUnlessHelp(
      argv,
      { ...OPTIONS, 'target-epsilon': { type: 'string' }, 'noise-multiplier': { type: 'string' } },
      HELP,
      io,
    );
    if (values === null) return EXIT_OK;
    const targetEpsilon = readTargetEpsilon(values);
    const sigma = readNoiseMultiplier(values);
    const delta = readDelta(values);
    const sampling = readSampling(values);
    const name = readAccountant(values);
    const r = maxSteps({ targetEpsilon, delta, sampleRate: sampling.sampleRate, noiseMultiplier: sigma, accountant: name });
    const epochs = r.steps * sampling.sampleRate;
    const warnings = [...inputWarnings(delta, sampling), ...r.warnings];
    if (values.json) {
      printJson(io, { ...r, epochs, targetEpsilon, delta, sampleRate: sampling.sampleRate, noiseMultiplier: sigma, warnings });
    } else {
      io.out(
        `steps = ${r.steps} (${fmt(epochs)} epochs) with epsilon = ${fmt(r.epsilon)} ≤ ${targetEpsilon} at delta = ${delta} (${name})`,
      );
    }
    for (const w of warnings) io.err(`warning: ${w}`);
    return EXIT_OK;
  },
};
