/**
 * Real-input FFT of power-of-two length n on top of fft.js, using the standard packing of a real
 * sequence into a complex one of length n/2 (z[m] = x[2m] + i·x[2m+1]) plus one twiddle pass.
 * This halves the work of both directions compared with a full complex transform.
 *
 * Spectra are stored as n/2 + 1 complex values, interleaved (re, im): the non-negative frequencies
 * of a real signal (the rest follow by Hermitian symmetry).
 */
import FFT from 'fft.js';

type FftInstance = InstanceType<typeof FFT>;

export class RealFFT {
  readonly n: number;
  private readonly half: number;
  private readonly fft: FftInstance;
  /** cos(2πk/n), sin(2πk/n) for k = 0..n/2. */
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly work: Float64Array;
  private readonly work2: Float64Array;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 4 || (n & (n - 1)) !== 0) throw new RangeError(`RealFFT: size must be a power of two ≥ 4, got ${n}`);
    this.n = n;
    this.half = n / 2;
    this.fft = new FFT(this.half);
    this.cos = new Float64Array(this.half + 1);
    this.sin = new Float64Array(this.half + 1);
    // Angles 2πk/n for k ≤ n/2 cover [0, π]; evaluate the first octant and fill the rest by symmetry.
    const q1 = n / 4;
    const o1 = n / 8;
    for (let k = 0; k <= o1; k++) {
      const a = (2 * Math.PI * k) / n;
      this.cos[k] = Math.cos(a);
      this.sin[k] = Math.sin(a);
    }
    for (let k = o1 + 1; k <= q1; k++) {
      this.cos[k] = this.sin[q1 - k]; // cos(π/2 − x) = sin x
      this.sin[k] = this.cos[q1 - k];
    }
    for (let k = q1 + 1; k <= this.half; k++) {
      this.cos[k] = -this.cos[this.half - k]; // cos(π − x) = −cos x
      this.sin[k] = this.sin[this.half - k];
    }
    this.work = new Float64Array(n);
    this.work2 = new Float64Array(n);
  }

  /** Spectrum length (in numbers, interleaved re/im) produced by `forward`. */
  get spectrumLength(): number {
    return this.n + 2;
  }

  /** X[k] = Σ_j x[j] e^{−2πi jk/n}, k = 0..n/2, into `out` (length n + 2). */
  forward(x: Float64Array, out: Float64Array): void {
    const h = this.half;
    const Z = this.work;
    this.fft.transform(Z, x); // x read as interleaved complex z of length n/2
    for (let k = 0; k <= h; k++) {
      const k1 = k === h ? 0 : k;
      const k2 = k === 0 ? 0 : h - k;
      const zr = Z[2 * k1], zi = Z[2 * k1 + 1];
      const cr = Z[2 * k2], ci = -Z[2 * k2 + 1]; // conj(Z[n/2 − k])
      const er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
      // O = (Z − conj) / (2i) = (−i/2)(Z − conj)
      const dr = zr - cr, di = zi - ci;
      const or = 0.5 * di, oi = -0.5 * dr;
      // W^k = e^{−2πik/n} = cos − i sin
      const wr = this.cos[k], wi = -this.sin[k];
      out[2 * k] = er + (wr * or - wi * oi);
      out[2 * k + 1] = ei + (wr * oi + wi * or);
    }
  }

  /** Inverse of `forward`: the real x (length n) whose spectrum is X (length n + 2). */
  inverse(X: Float64Array, out: Float64Array): void {
    const h = this.half;
    const Z = this.work2;
    for (let k = 0; k < h; k++) {
      const xr = X[2 * k], xi = X[2 * k + 1];
      const cr = X[2 * (h - k)], ci = -X[2 * (h - k) + 1]; // conj(X[n/2 − k])
      const er = 0.5 * (xr + cr), ei = 0.5 * (xi + ci);
      const dr = 0.5 * (xr - cr), di = 0.5 * (xi - ci);
      // O = D · W^{−k}, W^{−k} = cos + i sin
      const wr = this.cos[k], wi = this.sin[k];
      const or = dr * wr - di * wi, oi = dr * wi + di * wr;
      // Z = E + i·O
      Z[2 * k] = er - oi;
      Z[2 * k + 1] = ei + or;
    }
    this.fft.inverseTransform(out, Z); // out read as interleaved complex: x[2m] = Re z[m], x[2m+1] = Im z[m]
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
