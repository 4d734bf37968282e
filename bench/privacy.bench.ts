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
  composeSpectrum,
  computeEpsilonBoundsFromSpectrum,
  computeSafeDomainSize,
  createAlignedDomain,
  discretize,
  meshSize,
  PoissonSubsampledGaussianPRV,
} from '../src/privacy/analysis/prv';
import { refPrvLongRun } from '../src/privacy/testing/reference';

interface Row {
  name: string;
  goalMs?: number;
  first: number;
  median: number;
  min: number;
  max: number;
  /** Median CPU time of this process (user + system): what load from other processes inflates least. */
  cpu: number;
  repeats: number;
  note?: string;
}

const medianOf = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
};
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** One timed call: wall-clock and CPU milliseconds. */
function timeOnce(fn: () => unknown): { wall: number; cpu: number } {
  const c0 = cpuMs();
  const t0 = performance.now();
  fn();
  return { wall: performance.now() - t0, cpu: cpuMs() - c0 };
}

function rowOf(name: string, runs: { wall: number; cpu: number }[], goalMs?: number, note?: string): Row {
  const [first, ...rest] = runs;
  const times = rest.map((r) => r.wall);
  return {
    name,
    goalMs,
    first: first.wall,
    median: medianOf(times),
    min: Math.min(...times),
    max: Math.max(...times),
    cpu: medianOf(rest.map((r) => r.cpu)),
    repeats: rest.length,
    note,
  };
}

function measure(name: string, repeats: number, fn: () => unknown, goalMs?: number, note?: string): Row {
  const runs = Array.from({ length: repeats + 1 }, () => timeOnce(fn));
  return rowOf(name, runs, goalMs, note);
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
for (const steps of [1e3, 1e4]) {
  log(measure(`PRV ε, ${steps} steps`, 7, () => new PrvAccountant().step(q, sigma, steps).getEpsilon(delta).epsilon, 100));
}
// The previous PRV path (main before the low-frequency route): each segment's spectrum by a real FFT
// of the whole grid, then ε from the spectrum. Old and new run alternately, so load from other
// processes falls on both alike; the medians and their ratio come from the same run.
function prvEpsilonByFullFft(steps: number) {
  const deltaError = delta / 1000;
  const segments = [{ q, sigma, steps }];
  const domain = createAlignedDomain(computeSafeDomainSize(segments, 0.01, deltaError), meshSize(steps, 0.01, deltaError), 2 ** 23);
  const d = discretize(new PoissonSubsampledGaussianPRV(q, sigma), domain, (1e-6 * deltaError) / steps);
  return computeEpsilonBoundsFromSpectrum(composeSpectrum([d], [steps], 'fft'), delta, deltaError, 0.01);
}
const comparisons: string[] = [];
const prvLongRun = refPrvLongRun('mnist-1e5'); // the same q, σ, δ at 1e5 steps
{
  const steps = 1e5;
  const pairs = 9;
  const oldRuns: { wall: number; cpu: number }[] = [];
  const newRuns: { wall: number; cpu: number }[] = [];
  let previous = prvEpsilonByFullFft(steps);
  let current = new PrvAccountant().step(q, sigma, steps).getEpsilon(delta);
  for (let i = 0; i < pairs + 1; i++) {
    oldRuns.push(timeOnce(() => (previous = prvEpsilonByFullFft(steps))));
    newRuns.push(timeOnce(() => (current = new PrvAccountant().step(q, sigma, steps).getEpsilon(delta))));
  }
  const oldRow = rowOf(`PRV ε, ${steps} steps, previous path (FFT of the whole grid)`, oldRuns);
  const newRow = rowOf(`PRV ε, ${steps} steps`, newRuns, 100, 'low frequencies only');
  log(newRow);
  log(oldRow);
  comparisons.push(
    `PRV ε at ${steps} steps: previous/current = ${(oldRow.median / newRow.median).toFixed(1)}× wall, ${(oldRow.cpu / newRow.cpu).toFixed(1)}× CPU (medians of ${pairs} alternating pairs)`,
    `  upper ε: current ${current.upper.toFixed(9)}, previous ${previous.upper.toFixed(9)}, Opacus reference ${prvLongRun.prv.upper.toFixed(9)}`,
    `  estimate: current ${current.estimate.toFixed(9)}, previous ${previous.estimate.toFixed(9)}, Opacus reference ${prvLongRun.prv.estimate.toFixed(9)}`,
  );
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
const header = ['case', 'median ms', 'min', 'max', 'first call', 'cpu ms', 'n', 'goal', 'ok'];
const table = rows.map((r) => [
  r.name + (r.note ? ` (${r.note})` : ''),
  fmt(r.median),
  fmt(r.min),
  fmt(r.max),
  fmt(r.first),
  fmt(r.cpu),
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
console.log(
  `q = ${q.toPrecision(6)}, σ = ${sigma}, δ = ${delta}; times are wall-clock medians over n repeats after one first call (cpu: this process's CPU time, median)`,
);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
for (const r of comparisons) console.log(r);
console.log(`check: PRV ε(14062 steps) = ${check.epsilon.toFixed(6)} (reference upper 2.391744)`);
