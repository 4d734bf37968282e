/**
 * Real-input FFT of length n = 2^k or n = 3·2^k on top of fft.js (which handles powers of two).
 *
 * - n = 2^k: the standard packing of a real sequence into a complex one of length n/2
 *   (z[m] = x[2m] + i·x[2m+1]) plus one twiddle pass; half the work of a complex transform.
 * - n = 3·M (M = 2^k): one radix-3 decimation-in-time step over three real FFTs of length M,
 *   X[k] = Y0[k] + W^k·Y1[k] + W^{2k}·Y2[k] (indices of Y mod M, W = e^{−2πi/n}); the inverse solves the
 *   3×3 DFT for each j. Allowing 3·2^k keeps grids at most 33% (not 100%) above the size asked for.
 *
 * Spectra are stored as n/2 + 1 complex values, interleaved (re, im): the non-negative frequencies
 * of a real signal (the rest follow by Hermitian symmetry).
 */
import FFT from 'fft.js';

type FftInstance = InstanceType<typeof FFT>;

const SQRT3_2 = Math.sqrt(3) / 2;

/** Smallest size ≥ n of the form 2^k or 3·2^k (k ≥ 2). */
export function goodFftSize(n: number): number {
  if (!(n >= 0 && n <= 2 ** 52)) throw new RangeError(`goodFftSize: size must be in [0, 2^52], got ${n}`);
  let p = 4;
  while (p < n) p *= 2;
  const three = 3 * (p / 4);
  return three >= n && three >= 12 ? three : p;
}

/** cos/sin(2πk/n) for k = 0..n/2, first octant evaluated and the rest filled by symmetry (n % 8 = 0). */
function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  const half = n / 2;
  const cos = new Float64Array(half + 1);
  const sin = new Float64Array(half + 1);
  if (n % 8 !== 0) {
    for (let k = 0; k <= half; k++) {
      cos[k] = Math.cos((2 * Math.PI * k) / n);
      sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    return { cos, sin };
  }
  const q1 = n / 4;
  const o1 = n / 8;
  for (let k = 0; k <= o1; k++) {
    const a = (2 * Math.PI * k) / n;
    cos[k] = Math.cos(a);
    sin[k] = Math.sin(a);
  }
  for (let k = o1 + 1; k <= q1; k++) {
    cos[k] = sin[q1 - k]; // cos(π/2 − x) = sin x
    sin[k] = cos[q1 - k];
  }
  for (let k = q1 + 1; k <= half; k++) {
    cos[k] = -cos[half - k]; // cos(π − x) = −cos x
    sin[k] = sin[half - k];
  }
  return { cos, sin };
}

/** Real FFT for n = 2^k. */
class RealFFT2 {
  readonly n: number;
  private readonly half: number;
  private readonly fft: FftInstance;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly work: Float64Array;

  constructor(n: number) {
    this.n = n;
    this.half = n / 2;
    this.fft = new FFT(this.half);
    ({ cos: this.cos, sin: this.sin } = twiddles(n));
    this.work = new Float64Array(n);
  }

  forward(x: Float64Array, out: Float64Array): void {
    const h = this.half;
    const Z = this.work;
    this.fft.transform(Z, x); // x read as interleaved complex z of length n/2
    for (let k = 0; k <= h; k++) {
      const k1 = k === h ? 0 : k;
      const k2 = k === 0 ? 0 : h - k;
      const zr = Z[2 * k1],
        zi = Z[2 * k1 + 1];
      const cr = Z[2 * k2],
        ci = -Z[2 * k2 + 1]; // conj(Z[n/2 − k])
      const er = 0.5 * (zr + cr),
        ei = 0.5 * (zi + ci);
      const dr = zr - cr,
        di = zi - ci;
      const or = 0.5 * di,
        oi = -0.5 * dr; // O = (Z − conj)/(2i)
      const wr = this.cos[k],
        wi = -this.sin[k]; // W^k
      out[2 * k] = er + (wr * or - wi * oi);
      out[2 * k + 1] = ei + (wr * oi + wi * or);
    }
  }

  inverse(X: Float64Array, out: Float64Array): void {
    const h = this.half;
    const Z = this.work;
    for (let k = 0; k < h; k++) {
      const xr = X[2 * k],
        xi = X[2 * k + 1];
      const cr = X[2 * (h - k)],
        ci = -X[2 * (h - k) + 1]; // conj(X[n/2 − k])
      const er = 0.5 * (xr + cr),
        ei = 0.5 * (xi + ci);
      const dr = 0.5 * (xr - cr),
        di = 0.5 * (xi - ci);
      const wr = this.cos[k],
        wi = this.sin[k]; // W^{−k}
      const or = dr * wr - di * wi,
        oi = dr * wi + di * wr;
      Z[2 * k] = er - oi; // Z = E + i·O
      Z[2 * k + 1] = ei + or;
    }
    this.fft.inverseTransform(out, Z); // x[2m] = Re z[m], x[2m+1] = Im z[m]
  }
}

/** Real FFT for n = 3·M, M = 2^k. */
class RealFFT3 {
  readonly n: number;
  private readonly m: number;
  private readonly sub: RealFFT2;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly xs: Float64Array[];
  private readonly ys: Float64Array[];

  constructor(n: number) {
    this.n = n;
    this.m = n / 3;
    this.sub = new RealFFT2(this.m);
    ({ cos: this.cos, sin: this.sin } = twiddles(n));
    this.xs = [0, 1, 2].map(() => new Float64Array(this.m));
    this.ys = [0, 1, 2].map(() => new Float64Array(this.m + 2));
  }

  forward(x: Float64Array, out: Float64Array): void {
    const { m, xs, ys, cos, sin } = this;
    for (let r = 0; r < 3; r++) {
      const xr = xs[r];
      for (let i = 0; i < m; i++) xr[i] = x[3 * i + r];
      this.sub.forward(xr, ys[r]);
    }
    const [y0, y1, y2] = ys;
    const n = this.n;
    // X[j + sM] = A + ω̄^s·B + ω̄^{2s}·C with A = Y0[j], B = W^j·Y1[j], C = W^{2j}·Y2[j], ω̄ = e^{−2πi/3}.
    // For j ≤ M/2: s = 0 and s = 1 land in [0, n/2]; s = 2 lands at n − (M − j) and is stored as the
    // conjugate at index M − j (Hermitian symmetry).
    for (let j = 0; j <= m / 2; j++) {
      const ar = y0[2 * j],
        ai = y0[2 * j + 1];
      const w1r = cos[j],
        w1i = -sin[j];
      const w2r = cos[2 * j],
        w2i = -sin[2 * j];
      const p1r = y1[2 * j],
        p1i = y1[2 * j + 1];
      const p2r = y2[2 * j],
        p2i = y2[2 * j + 1];
      const br = w1r * p1r - w1i * p1i,
        bi = w1r * p1i + w1i * p1r;
      const cr = w2r * p2r - w2i * p2i,
        ci = w2r * p2i + w2i * p2r;
      const sr = br + cr,
        si = bi + ci; // B + C
      const dr = br - cr,
        di = bi - ci; // B − C
      out[2 * j] = ar + sr;
      out[2 * j + 1] = ai + si;
      // ω̄·B + ω̄²·C = −(B + C)/2 − i(√3/2)(B − C)
      const s1r = ar - 0.5 * sr + SQRT3_2 * di,
        s1i = ai - 0.5 * si - SQRT3_2 * dr;
      out[2 * (j + m)] = s1r;
      out[2 * (j + m) + 1] = s1i;
      // ω̄²·B + ω̄⁴·C = −(B + C)/2 + i(√3/2)(B − C)
      const s2r = ar - 0.5 * sr - SQRT3_2 * di,
        s2i = ai - 0.5 * si + SQRT3_2 * dr;
      const k2 = n - (j + 2 * m); // = M − j
      if (k2 <= n / 2 && j > 0) {
        out[2 * k2] = s2r;
        out[2 * k2 + 1] = -s2i;
      }
    }
  }

  inverse(X: Float64Array, out: Float64Array): void {
    const { m, xs, ys, cos, sin } = this;
    const [y0, y1, y2] = ys;
    // Y_r[j] = W^{−rj}·(A0 + ω^r·A1 + ω^{2r}·A2)/3 with A_s = X[j + sM], ω = e^{2πi/3};
    // A2 = X[j + 2M] = conj(X[M − j]).
    for (let j = 0; j <= m / 2; j++) {
      const a0r = X[2 * j],
        a0i = X[2 * j + 1];
      const a1r = X[2 * (j + m)],
        a1i = X[2 * (j + m) + 1];
      const a2r = X[2 * (m - j)],
        a2i = -X[2 * (m - j) + 1];
      const sr = a1r + a2r,
        si = a1i + a2i; // A1 + A2
      const dr = a1r - a2r,
        di = a1i - a2i; // A1 − A2
      y0[2 * j] = (a0r + sr) / 3;
      y0[2 * j + 1] = (a0i + si) / 3;
      // ω·A1 + ω²·A2 = −(A1 + A2)/2 + i(√3/2)(A1 − A2)
      const u1r = (a0r - 0.5 * sr - SQRT3_2 * di) / 3,
        u1i = (a0i - 0.5 * si + SQRT3_2 * dr) / 3;
      // ω²·A1 + ω·A2 = −(A1 + A2)/2 − i(√3/2)(A1 − A2)
      const u2r = (a0r - 0.5 * sr + SQRT3_2 * di) / 3,
        u2i = (a0i - 0.5 * si - SQRT3_2 * dr) / 3;
      const w1r = cos[j],
        w1i = sin[j]; // W^{−j}
      const w2r = cos[2 * j],
        w2i = sin[2 * j]; // W^{−2j}
      y1[2 * j] = w1r * u1r - w1i * u1i;
      y1[2 * j + 1] = w1r * u1i + w1i * u1r;
      y2[2 * j] = w2r * u2r - w2i * u2i;
      y2[2 * j + 1] = w2r * u2i + w2i * u2r;
    }
    for (let r = 0; r < 3; r++) {
      this.sub.inverse(ys[r], xs[r]);
      const xr = xs[r];
      for (let i = 0; i < m; i++) out[3 * i + r] = xr[i];
    }
  }
}

/** Real FFT of size n = 2^k (k ≥ 2) or 3·2^k (k ≥ 2). */
export class RealFFT {
  readonly n: number;
  private readonly impl: RealFFT2 | RealFFT3;

  constructor(n: number) {
    const isPow2 = (v: number) => Number.isInteger(v) && v >= 4 && (v & (v - 1)) === 0;
    if (isPow2(n)) this.impl = new RealFFT2(n);
    else if (n % 3 === 0 && isPow2(n / 3)) this.impl = new RealFFT3(n);
    else throw new RangeError(`RealFFT: size must be 2^k or 3·2^k (k ≥ 2), got ${n}`);
    this.n = n;
  }

  /** Spectrum length (in numbers, interleaved re/im) produced by `forward`. */
  get spectrumLength(): number {
    return this.n + 2;
  }

  /** X[k] = Σ_j x[j] e^{−2πi jk/n}, k = 0..n/2, into `out` (length n + 2). */
  forward(x: Float64Array, out: Float64Array): void {
    this.impl.forward(x, out);
  }

  /** Inverse of `forward`: the real x (length n) whose spectrum is X (length n + 2). */
  inverse(X: Float64Array, out: Float64Array): void {
    this.impl.inverse(X, out);
  }
}

const cache = new Map<number, RealFFT>();

/** A cached RealFFT of size n (twiddle tables are reused across calls). */
export function realFft(n: number): RealFFT {
  let f = cache.get(n);
  if (!f) {
    if (cache.size >= 4) cache.clear();
    f = new RealFFT(n);
    cache.set(n, f);
  }
  return f;
}

const buffers = new Map<string, Float64Array>();

/** Work arrays up to this many doubles (16 MiB) are kept between calls; larger ones are not. */
const MAX_RETAINED = 2 ** 21;

/**
 * A reusable work array of exactly `n` doubles for internal, non-reentrant use (contents are
 * undefined on return). Grids are megabytes each; reusing them avoids most GC work, while very
 * large ones are not retained so a long run's accounting does not pin memory in the page.
 */
export function scratch(name: string, n: number): Float64Array {
  const b = buffers.get(name);
  if (b && b.length === n) return b;
  const fresh = new Float64Array(n);
  if (n <= MAX_RETAINED) buffers.set(name, fresh);
  else buffers.delete(name);
  return fresh;
}
