/**
 * Seeded 2D teaching sets in the spirit of TensorFlow Playground: two spirals, circle, xor and
 * gaussian blobs. Points live roughly in [-1, 1]² (noise can push a few outside); the same
 * options always produce the same dataset.
 *
 * `noise` is the standard deviation of isotropic gaussian jitter added to each point, in feature
 * units (0 = clean; 0.1 is mild; 0.3 makes the classes overlap heavily). Labels are decided before
 * the jitter, so noise creates genuinely mislabelled-looking points near the boundary.
 */
import type { Dataset } from './types';
import { DatasetError } from './errors';
import { createRng, permutation, type Rng } from '../random/rng';
import { SYNTHETIC_SETS as SYNTHETIC_NAMES, type SyntheticName } from '../config/runConfig';

/** The 2D sets are the run config's (one list: what a config may name is what this file can make). */
export { SYNTHETIC_SETS as SYNTHETIC_NAMES, type SyntheticName } from '../config/runConfig';

export interface SyntheticOptions {
  readonly name: SyntheticName;
  /** Number of points (≥ number of classes). Classes get equal shares up to ±1. */
  readonly n: number;
  /** Standard deviation of gaussian jitter, in feature units; ≥ 0. */
  readonly noise: number;
  readonly seed: number;
  /** Number of classes for 'blobs' (2..10, default 2). The other sets are always binary. */
  readonly classes?: number;
}

/** Largest synthetic set we agree to build (keeps a typo from freezing the tab). */
export const MAX_SYNTHETIC_POINTS = 1_000_000;

const TITLES: Record<SyntheticName, string> = {
  spirals: 'Two spirals',
  circle: 'Circle',
  xor: 'XOR',
  blobs: 'Gaussian blobs',
};

/** A clean point of class `label`; `i`/`count` is its position among that class's points. */
type PointFn = (label: number, i: number, count: number, rng: Rng) => [number, number];

const spiral: PointFn = (label, i, count) => {
  // Two interleaved arms, 1.75 turns each, radius growing linearly to 0.95 (TF Playground shape).
  const t = count <= 1 ? 0 : i / (count - 1);
  const r = 0.05 + 0.9 * t;
  const angle = 1.75 * 2 * Math.PI * t + label * Math.PI;
  return [r * Math.sin(angle), r * Math.cos(angle)];
};

const circle: PointFn = (label, _i, _count, rng) => {
  // Class 0: disc of radius 0.5. Class 1: ring between 0.7 and 1.0. The gap makes noise = 0 separable.
  // sqrt for uniform density over area.
  const r = label === 0 ? 0.5 * Math.sqrt(rng.next()) : Math.sqrt(rng.uniform(0.49, 1.0));
  const angle = rng.uniform(0, 2 * Math.PI);
  return [r * Math.cos(angle), r * Math.sin(angle)];
};

const xor: PointFn = (label, _i, _count, rng) => {
  // Class 1 when x and y have the same sign (quadrants I and III). Keep a 0.05 margin off the axes.
  const mag = (): number => rng.uniform(0.05, 1);
  const sx = rng.next() < 0.5 ? -1 : 1;
  const sy = label === 1 ? sx : -sx;
  return [sx * mag(), sy * mag()];
};

function blobPoint(classes: number): PointFn {
  // Centres evenly spaced on a circle of radius 0.6; intrinsic spread 0.12 before jitter.
  return (label, _i, _count, rng) => {
    const angle = (2 * Math.PI * label) / classes + Math.PI / 4;
    return [0.6 * Math.cos(angle) + 0.12 * rng.normal(), 0.6 * Math.sin(angle) + 0.12 * rng.normal()];
  };
}

function validate(o: SyntheticOptions, classes: number): void {
  const bad = (msg: string): never => {
    throw new DatasetError('bad-options', `synthetic '${o.name}': ${msg}`);
  };
  if (!SYNTHETIC_NAMES.includes(o.name)) bad(`unknown set; expected one of ${SYNTHETIC_NAMES.join(', ')}`);
  if (!Number.isInteger(o.n) || o.n < classes || o.n > MAX_SYNTHETIC_POINTS) {
    bad(`n must be an integer in [${classes}, ${MAX_SYNTHETIC_POINTS}], got ${o.n}`);
  }
  if (!Number.isFinite(o.noise) || o.noise < 0) bad(`noise must be a finite number ≥ 0, got ${o.noise}`);
  if (!Number.isFinite(o.seed)) bad(`seed must be a finite number, got ${o.seed}`);
  if (!Number.isInteger(classes) || classes < 2 || classes > 10) {
    bad(`classes must be an integer in [2, 10], got ${classes}`);
  }
  if (o.name !== 'blobs' && o.classes !== undefined && o.classes !== 2) {
    bad(`only 'blobs' supports classes ≠ 2, got ${o.classes}`);
  }
}

/** Builds one synthetic 2D dataset. Rows are shuffled; features are [x, y]. */
export function makeSynthetic(options: SyntheticOptions): Dataset {
  const classes = options.name === 'blobs' ? (options.classes ?? 2) : 2;
  validate(options, classes);
  const { name, n, noise, seed } = options;
  const rng = createRng(seed);
  const point: PointFn = name === 'spirals' ? spiral : name === 'circle' ? circle : name === 'xor' ? xor : blobPoint(classes);

  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  // Generate class by class (spirals need each point's index within its arm), then shuffle rows.
  let row = 0;
  for (let c = 0; c < classes; c++) {
    const count = Math.floor(n / classes) + (c < n % classes ? 1 : 0);
    for (let i = 0; i < count; i++, row++) {
      const [px, py] = point(c, i, count, rng);
      x[2 * row] = px + noise * rng.normal();
      x[2 * row + 1] = py + noise * rng.normal();
      y[row] = c;
    }
  }
  const order = permutation(n, rng);
  const xs = new Float32Array(n * 2);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = order[i];
    xs[2 * i] = x[2 * j];
    xs[2 * i + 1] = x[2 * j + 1];
    ys[i] = y[j];
  }
  const classPart = name === 'blobs' ? `, classes=${classes}` : '';
  return {
    name: name === 'blobs' && classes !== 2 ? `${TITLES[name]} (${classes} classes)` : TITLES[name],
    x: xs,
    y: ys,
    inputShape: [2],
    numClasses: classes,
    source: `synthetic:${name}(n=${n}, noise=${noise}, seed=${seed}${classPart})`,
  };
}

/**
 * Points of a resolution × resolution grid over [-extent, extent]², for evaluating a 2D model
 * for the decision-boundary chart. Cell centres, row-major, row 0 at the TOP (y = +extent side)
 * and column 0 at the left, i.e. image order: point (row r, col c) is at
 * x = -extent + (c + 0.5)·h, y = extent - (r + 0.5)·h with h = 2·extent / resolution.
 * Returns resolution² × 2 floats ([x, y] per point).
 */
export function decisionGrid(resolution: number, extent = 1): Float32Array {
  if (!Number.isInteger(resolution) || resolution < 1 || resolution > 1024) {
    throw new RangeError(`decisionGrid: resolution must be an integer in [1, 1024], got ${resolution}`);
  }
  if (!Number.isFinite(extent) || extent <= 0) {
    throw new RangeError(`decisionGrid: extent must be a finite number > 0, got ${extent}`);
  }
  const h = (2 * extent) / resolution;
  const out = new Float32Array(resolution * resolution * 2);
  for (let r = 0; r < resolution; r++) {
    const py = extent - (r + 0.5) * h;
    for (let c = 0; c < resolution; c++) {
      const k = 2 * (r * resolution + c);
      out[k] = -extent + (c + 0.5) * h;
      out[k + 1] = py;
    }
  }
  return out;
}
