/** `autoclip sigma`: the smallest noise multiplier that meets a target (ε, δ). */
import { calibrateSigma, DEFAULT_EPSILON_TOLERANCE, EPSILON_MAX } from '../../src/privacy';
import type { Command } from '../command';
import { flagsUnlessHelp, fmt, printJson } from '../command';
import {
  EXIT_OK,
  inputWarnings,
  numberIn,
  optionalNumber,
  PRIVACY_OPTIONS,
  PRIVACY_OPTIONS_HELP,
  readAccountant,
  readDelta,
  readSampling,
  readSteps,
  readTargetEpsilon,
} from '../args';

const HELP = `Usage: autoclip sigma --target-epsilon E --delta D --sample-rate Q --steps T [--accountant rdp|prv|gdp] [--json]

The smallest noise multiplier σ whose ε (by the chosen accountant) does not exceed the target.

  --target-epsilon E        target ε, in (0, ${EPSILON_MAX}]
  --tolerance X             stop when target − ε(σ) ≤ X (default ${DEFAULT_EPSILON_TOLERANCE}); ε(σ) ≤ target always
${PRIVACY_OPTIONS_HELP}

Example: autoclip sigma --target-epsilon 3 --delta 1e-5 --dataset-size 60000 --batch-size 256 --epochs 30 --accountant prv`;

export const sigmaCommand: Command = {
  name: 'sigma',
  summary: 'smallest noise multiplier (σ) for a target ε, δ, sample rate and number of steps',
  help: HELP,
  run(argv, io) {
    const values = flagsUnlessHelp(
      argv,
      { ...PRIVACY_OPTIONS, 'target-epsilon': { type: 'string' }, tolerance: { type: 'string' } },
      HELP,
      io,
    );
    if (values === null) return EXIT_OK;
    const targetEpsilon = readTargetEpsilon(values);
    const delta = readDelta(values);
    const sampling = readSampling(values);
    const steps = readSteps(values, sampling);
    const name = readAccountant(values);
    const tol = optionalNumber(values, 'tolerance');
    const epsilonTolerance = tol === undefined ? DEFAULT_EPSILON_TOLERANCE : numberIn('tolerance', tol, 0, Infinity, false, false);
    const r = calibrateSigma({ targetEpsilon, delta, sampleRate: sampling.sampleRate, steps, accountant: name, epsilonTolerance });
    const warnings = [...inputWarnings(delta, sampling), ...r.warnings];
    if (values.json) {
      const { result, ...rest } = r;
      const extra =
        result.accountant === 'prv'
          ? { lower: result.lower, estimate: result.estimate, upper: result.upper }
          : result.accountant === 'rdp'
            ? { optimalOrder: result.optimalOrder }
            : { mu: result.mu };
      printJson(io, { ...rest, ...extra, warnings });
    } else {
      io.out(`sigma = ${fmt(r.noiseMultiplier)} gives epsilon = ${fmt(r.epsilon)} ≤ ${targetEpsilon} at delta = ${delta} (${name})`);
      io.out(
        `  q = ${fmt(sampling.sampleRate)}, steps = ${steps}, tolerance ${epsilonTolerance}; smallest sigma is in (${fmt(r.sigmaLowerBound)}, ${fmt(r.noiseMultiplier)}]`,
      );
    }
    for (const w of warnings) io.err(`warning: ${w}`);
    return EXIT_OK;
  },
};
