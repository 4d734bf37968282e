/**
 * Composition of discretised PRVs by FFT (Gopi, Lee, Wutschitz 2021, Section 5; Opacus
 * `opacus/accountants/analysis/prv/compose.py`).
 *
 * The PMF of a sum of independent PRVs is the convolution of their PMFs; on a grid of size n this is
 * a product of spectra. All segments share one grid (same dt, size and centre index c), so the
 * heterogeneous composition Σ_s k_s·Y_s is computed in ONE spectral product Π_s FFT(p_s)^{k_s}
 * followed by one inverse FFT. (Opacus composes each segment by FFT and then joins segments with
 * linear convolutions; the two agree up to the mass beyond the safe domain, which is what the domain
 * size bounds.) Integer powers are taken by binary exponentiation of complex numbers.
 */
import type { Domain } from './domain';
import type { DiscretePRV } from './prvs';
import { fullPmf } from './prvs';
import { realFft, scratch } from './realFft';

/** acc ← spec^k for every complex entry of an interleaved spectrum, by repeated squaring. */
export function powSpectrum(spec: Float64Array, k: number, acc: Float64Array): void {
  const len = spec.length;
  // |z|^k underflows to 0 when |z|² < e^{−2·745/k}: skip those entries (most high frequencies).
  const r2Min = Math.exp((-2 * 745) / k);
  for (let i = 0; i < len; i += 2) {
    let br = spec[i],
      bi = spec[i + 1];
    const r2 = br * br + bi * bi;
    if (r2 < r2Min) {
      acc[i] = 0;
      acc[i + 1] = 0;
      continue;
    }
    let rr = 1,
      ri = 0;
    let e = k;
    while (e > 0) {
      if (e & 1) {
        const t = rr * br - ri * bi;
        ri = rr * bi + ri * br;
        rr = t;
      }
      e = Math.floor(e / 2);
      if (e > 0) {
        const t = br * br - bi * bi;
        bi = 2 * br * bi;
        br = t;
      }
    }
    acc[i] = rr;
    acc[i + 1] = ri;
  }
}

/**
 * The composition Σ_s k_s·Y_s in the frequency domain: the product of the segments' spectra, before the
 * inverse transform. Grid index g of the composed PMF is entry (g − rotation) mod n of the inverse
 * transform of `spectrum`. Only the `band` lowest frequencies can be non-zero: a sum of many steps is
 * smooth, so all higher powers underflow (at 1e5 steps, 128 of 1.5 M), which lets ε be read from
 * the spectrum without transforming back (see ./epsilon computeEpsilonBoundsFromSpectrum).
 */
export interface ComposedSpectrum {
  /** Interleaved (re, im) spectrum of the n-point circular sum, frequencies 0..n/2. */
  spectrum: Float64Array;
  /** Frequencies at or above `band` are exactly 0. */
  band: number;
  /** Circular shift from the inverse transform's index to the grid index. */
  rotation: number;
  domain: Domain;
}

export function composeSpectrum(dprvs: readonly DiscretePRV[], counts: readonly number[]): ComposedSpectrum {
  if (dprvs.length !== counts.length || dprvs.length === 0) throw new RangeError('composeHeterogeneous: need one count per PRV');
  // Binary exponentiation halves the count each round: only a finite integer ever reaches 0.
  for (const k of counts)
    if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`composeHeterogeneous: counts must be non-negative integers, got ${k}`);
  const base = dprvs[0].domain;
  const n = base.size;
  for (const d of dprvs) {
    if (d.domain.size !== n || d.domain.dt !== base.dt || d.domain.c !== base.c)
      throw new RangeError('composeHeterogeneous: PRVs must share one grid');
  }
  const fft = realFft(n);
  const total = scratch('total', fft.spectrumLength);
  const spec = scratch('spec', fft.spectrumLength);
  const powd = scratch('powd', fft.spectrumLength);
  let first = true;
  let K = 0;
  let shift = 0;
  for (let s = 0; s < dprvs.length; s++) {
    const k = counts[s];
    if (k === 0) continue;
    K += k;
    shift += k * dprvs[s].domain.shift;
    fft.forward(fullPmf(dprvs[s], scratch('pmf', n)), spec);
    powSpectrum(spec, k, powd);
    if (first) {
      total.set(powd);
      first = false;
    } else {
      for (let i = 0; i < total.length; i += 2) {
        const ar = total[i],
          ai = total[i + 1],
          br = powd[i],
          bi = powd[i + 1];
        total[i] = ar * br - ai * bi;
        total[i + 1] = ar * bi + ai * br;
      }
    }
  }
  if (K === 0) throw new RangeError('composeHeterogeneous: nothing to compose (all counts are 0)');
  let band = total.length / 2;
  while (band > 0 && total[2 * band - 2] === 0 && total[2 * band - 1] === 0) band--;
  // Index S of the circular sum of K grid indices holds value (S − K·c)·dt; the grid index of that
  // value is S − (K − 1)·c, so rotate by m = −(K − 1)·c mod n.
  const rotation = mod(-((K - 1) % n) * (base.c % n), n);
  return { spectrum: total, band, rotation, domain: { ...base, shift } };
}

/**
 * Σ_s k_s·Y_s for discretised PRVs on a common grid. The result lives on the same grid, shifted by
 * Σ_s k_s·shift_s, with mass wrapped around the circular domain rotated back into place.
 */
export function composeHeterogeneous(dprvs: readonly DiscretePRV[], counts: readonly number[]): DiscretePRV {
  return pmfOfSpectrum(composeSpectrum(dprvs, counts));
}

/** The composed PMF on the grid: the inverse transform of a composed spectrum, rotated into place. */
export function pmfOfSpectrum({ spectrum, rotation: m, domain }: ComposedSpectrum): DiscretePRV {
  const n = domain.size;
  const circ = scratch('circ', n);
  realFft(n).inverse(spectrum, circ);
  const pmf = new Float64Array(n);
  pmf.set(circ.subarray(0, n - m), m);
  pmf.set(circ.subarray(n - m), 0);
  return { pmf, offset: 0, domain };
}

function mod(a: number, n: number): number {
  const r = a % n;
  return r < 0 ? r + n : r;
}
