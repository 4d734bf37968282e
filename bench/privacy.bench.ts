/**
 * `npm run bench:privacy`: wall-clock cost of the privacy accountants and calibration.
 *
 * Each row is measured `repeats` times; the table shows the median (and min/max) plus the time of
 * the very first call, which includes one-off work (JIT warm-up, FFT twiddle tables for a new grid
 * size). Goals: RDP ε for 1e4 steps < 1 ms, PRV ε < 100 ms, calibration < 1 s.
 * Machine load is printed too: other processes on a shared 2-core box inflate every number.
 */
import os from 'node:os';
import { calibrateSigma, createAccountant, GdpAccountant, PrvAccountant, RdpAccountant } from '../src/privacy';
import {
  composeHeterogeneous,
  computeEpsilonBounds,
  computeSafeDomainSize,
  createAlignedDomain,
  discretize,
  meshSize,
  PoissonSubsampledGaussianPRV,
} from '../src/privacy/analysis/prv';
import { fullPmf } from '../src/privacy/analysis/prv/prvs';

interface Row {
  name: string;
  goalMs?: number;
  first: number;
  median: number;
  min: number;
  max: number;
  repeats: number;
  note?: string;
}

function measure(name: string, repeats: number, fn: () => unknown, goalMs?: number, note?: string): Row {
  const times: number[] = [];
  let first = NaN;
  for (let i = 0; i < repeats + 1; i++) {
    const t0 = performance.now();
    fn();
    const dt = performance.now() - t0;
    if (i === 0) first = dt;
    else times.push(dt);
  }
  times.sort((a, b) => a - b);
  const median = times.length % 2 ? times[(times.length - 1) / 2] : 0.5 * (times[times.length / 2 - 1] + times[times.length / 2]);
  return { name, goalMs, first, median, min: times[0], max: times[times.length - 1], repeats, note };
}

const q = 256 / 60000;
const sigma = 1.1;
const delta = 1e-5;
const rows: Row[] = [];
const log = (r: Row) => {
  rows.push(r);
  process.stderr.write(`  measured ${r.name}\n`);
};

process.stderr.write('autoclip privacy bench (this takes a minute)…\n');

// RDP: a new accountant each time, so the per-order RDP vector is recomputed (cold, the honest cost
// of "ε for T steps" from scratch); and the live path (running vector): one step + one ε.
for (const steps of [1e3, 1e4, 1e5]) {
  let s = sigma;
  log(
    measure(
      `RDP ε, ${steps} steps (from scratch)`,
      30,
      () => {
        s = s === sigma ? sigma + 1e-9 : sigma; // defeat any memo between repeats
        return new RdpAccountant().step(q, s, steps).getEpsilon(delta).epsilon;
      },
      steps === 1e4 ? 1 : undefined,
    ),
  );
}
{
  const acc = new RdpAccountant().step(q, sigma, 1);
  log(measure('RDP live: step(q,σ) + getEpsilon', 2000, () => acc.step(q, sigma).getEpsilon(delta), undefined, 'per training step'));
}
for (const steps of [1e3, 1e4, 1e5]) {
  log(
    measure(`PRV ε, ${steps} steps`, steps >= 1e5 ? 3 : 7, () => new PrvAccountant().step(q, sigma, steps).getEpsilon(delta).epsilon, 100),
  );
}
// The previous PRV path, side by side with the current one on the same machine and load: the PMF
// discretised over the whole grid, composed, transformed back and scanned point by point.
function prvEpsilonOnTheGrid(steps: number): number {
  const deltaError = delta / 1000;
  const segments = [{ q, sigma, steps }];
  const domain = createAlignedDomain(computeSafeDomainSize(segments, 0.01, deltaError), meshSize(steps, 0.01, deltaError), 2 ** 23);
  const windowed = discretize(new PoissonSubsampledGaussianPRV(q, sigma), domain, (1e-6 * deltaError) / steps);
  const whole = { ...windowed, pmf: fullPmf(windowed, new Float64Array(domain.size)), offset: 0 };
  return computeEpsilonBounds(composeHeterogeneous([whole], [steps]), delta, deltaError, 0.01).upper;
}
const ratios: string[] = [];
for (const steps of [1e4, 1e5]) {
  const grid = measure(`PRV ε, ${steps} steps, previous path (grid: inverse FFT + scan)`, 3, () => prvEpsilonOnTheGrid(steps));
  const spectral = measure(`PRV ε, ${steps} steps, current path (spectrum)`, 3, () =>
    new PrvAccountant().step(q, sigma, steps).getEpsilon(delta),
  );
  log(grid);
  log(spectral);
  ratios.push(`PRV ε at ${steps} steps: previous/current = ${(grid.median / spectral.median).toFixed(2)}× (medians, same run)`);
}
log(measure('GDP ε, 1e4 steps', 200, () => new GdpAccountant().step(q, sigma, 1e4).getEpsilon(delta).epsilon));

// Calibration: the reference's "k1" configuration (target ε 1, 3, 8 at q = 256/60000, 7031 steps).
for (const accountant of ['rdp', 'gdp', 'prv'] as const) {
  for (const targetEpsilon of [1, 3, 8]) {
    log(
      measure(
        `calibrate σ (${accountant}), ε=${targetEpsilon}, 7031 steps`,
        accountant === 'prv' ? 3 : 10,
        () => calibrateSigma({ targetEpsilon, delta, sampleRate: q, steps: 7031, accountant, epsilonTolerance: 1e-4 }).noiseMultiplier,
        1000,
      ),
    );
  }
}

// Sanity: the benchmarked code computes real numbers (the reference's mnist-tfp run).
const check = createAccountant('prv').step(q, sigma, 14062).getEpsilon(delta);

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(4));
const header = ['case', 'median ms', 'min', 'max', 'first call', 'n', 'goal', 'ok'];
const table = rows.map((r) => [
  r.name + (r.note ? ` (${r.note})` : ''),
  fmt(r.median),
  fmt(r.min),
  fmt(r.max),
  fmt(r.first),
  String(r.repeats),
  r.goalMs === undefined ? '' : `< ${r.goalMs} ms`,
  r.goalMs === undefined ? '' : r.median < r.goalMs ? 'yes' : 'NO',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(
  `node ${process.version}, ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}, load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log(`q = ${q.toPrecision(6)}, σ = ${sigma}, δ = ${delta}; times are wall-clock medians over n repeats after one first call`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
for (const r of ratios) console.log(r);
console.log(`check: PRV ε(14062 steps) = ${check.epsilon.toFixed(6)} (reference upper 2.391744)`);
