/** `autoclip epsilon`: ε spent by DP-SGD with Poisson sampling. */
import type { EpsilonResult } from '../../src/privacy';
import { createAccountant, SIGMA_MAX, SIGMA_MIN } from '../../src/privacy';
import type { Command } from '../command';
import { flagsUnlessHelp, fmt, printJson } from '../command';
import {
  EXIT_OK,
  inputWarnings,
  PRIVACY_OPTIONS,
  PRIVACY_OPTIONS_HELP,
  readAccountant,
  readDelta,
  readNoiseMultiplier,
  readSampling,
  readSteps,
} from '../args';

const HELP = `Usage: autoclip epsilon --sample-rate Q --noise-multiplier S --steps T --delta D [--accountant rdp|prv|gdp] [--json]

Privacy spent (ε at δ) by T steps of the Poisson-subsampled Gaussian mechanism.

  --noise-multiplier S      noise std / clipping norm, σ in [${SIGMA_MIN}, ${SIGMA_MAX}]
${PRIVACY_OPTIONS_HELP}

Accountants: rdp = Rényi DP upper bound (reports the optimal order); prv = numerical composition,
reports lower/estimate/upper and ε = upper (where PRV cannot answer reliably, ε is the RDP bound
and a warning says why); gdp = CLT approximation that can underestimate ε.

Example: autoclip epsilon --dataset-size 60000 --batch-size 256 --epochs 60 --noise-multiplier 1.1 --delta 1e-5 --accountant prv`;

function describe(r: EpsilonResult): string {
  switch (r.accountant) {
    case 'rdp':
      return `rdp, optimal order ${r.optimalOrder}`;
    case 'prv':
      if (r.fallback) return `prv not applicable here, rdp upper bound instead: see the warning`;
      return `prv upper bound; estimate ${fmt(r.estimate)}, lower ${fmt(r.lower)}`;
    case 'gdp':
      return `gdp CLT approximation, mu ${fmt(r.mu)}`;
  }
}

export const epsilonCommand: Command = {
  name: 'epsilon',
  summary: 'privacy spent (ε) for a noise multiplier, sample rate and number of steps',
  help: HELP,
  run(argv, io) {
    const values = flagsUnlessHelp(argv, { ...PRIVACY_OPTIONS, 'noise-multiplier': { type: 'string' } }, HELP, io);
    if (values === null) return EXIT_OK;
    const sampling = readSampling(values);
    const sigma = readNoiseMultiplier(values);
    const steps = readSteps(values, sampling);
    const delta = readDelta(values);
    const name = readAccountant(values);
    const result = createAccountant(name).step(sampling.sampleRate, sigma, steps).getEpsilon(delta);
    const warnings = [...inputWarnings(delta, sampling), ...result.warnings];
    if (values.json) {
      printJson(io, { ...result, noiseMultiplier: sigma, sampleRate: sampling.sampleRate, warnings });
    } else {
      io.out(`epsilon = ${fmt(result.epsilon)} at delta = ${delta} (${describe(result)})`);
      io.out(`  q = ${fmt(sampling.sampleRate)}, sigma = ${sigma}, steps = ${steps}`);
    }
    for (const w of warnings) io.err(`warning: ${w}`);
    return EXIT_OK;
  },
};
