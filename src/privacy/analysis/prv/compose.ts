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
import { lowFrequencyCost, lowFrequencySpectrum, spectrumCutoff } from './lowFrequencies';
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
  /**
   * Interleaved (re, im) spectrum of the n-point circular sum: frequencies 0..n/2, or fewer when
   * every higher frequency is proven to be zero (see ./lowFrequencies). Entries from `band` on are 0.
   */
  spectrum: Float64Array;
  /** Frequencies at or above `band` are exactly 0. */
  band: number;
  /** Circular shift from the inverse transform's index to the grid index. */
  rotation: number;
  domain: Domain;
}

/**
 * How each segment's spectrum is computed: 'auto' takes the low frequencies alone where the bounds of
 * ./lowFrequencies prove the rest underflows and that costs less than a transform of the grid; 'fft'
 * always transforms the whole grid (the path the low frequencies are checked against).
 */
export type SpectrumMethod = 'auto' | 'fft';

export function composeSpectrum(
  dprvs: readonly DiscretePRV[],
  counts: readonly number[],
  method: SpectrumMethod = 'auto',
): ComposedSpectrum {
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
  const active = dprvs.map((d, s) => ({ d, k: counts[s] })).filter((a) => a.k > 0);
  if (active.length === 0) throw new RangeError('composeHeterogeneous: nothing to compose (all counts are 0)');
  const transform = method === 'auto' ? lowFrequencyTransform(active, n) : null;
  const frequencies = transform ? transform.frequencies : n / 2 + 1;
  const fft = transform ? null : realFft(n);
  const total = scratch('total', 2 * frequencies);
  const spec = scratch('spec', 2 * frequencies);
  const powd = scratch('powd', 2 * frequencies);
  let first = true;
  let K = 0;
  let shift = 0;
  for (const { d, k } of active) {
    K += k;
    shift += k * d.domain.shift;
    if (transform) lowFrequencySpectrum(d, frequencies, spec);
    else fft!.forward(fullPmf(d, scratch('pmf', n)), spec);
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
  let band = total.length / 2;
  while (band > 0 && total[2 * band - 2] === 0 && total[2 * band - 1] === 0) band--;
  // Index S of the circular sum of K grid indices holds value (S − K·c)·dt; the grid index of that
  // value is S − (K − 1)·c, so rotate by m = −(K − 1)·c mod n.
  const rotation = mod(-((K - 1) % n) * (base.c % n), n);
  return { spectrum: total, band, rotation, domain: { ...base, shift } };
}

/**
 * The low-frequency route where it is proven and cheaper: every composed frequency at or above the
 * smallest segment cutoff is zero (one factor underflows, the others have modulus ≤ 1). Its cost,
 * Taylor moments of each window plus the blocks at each kept frequency, is weighed against a real
 * FFT of the grid per segment (~2.5·n·log2 n operations).
 */
function lowFrequencyTransform(active: readonly { d: DiscretePRV; k: number }[], n: number): { frequencies: number } | null {
  let cutoff = n / 2 + 1;
  for (const { d, k } of active) cutoff = Math.min(cutoff, spectrumCutoff(d, k));
  if (cutoff > n / 2) return null;
  let lowOps = 0;
  for (const { d } of active) lowOps += lowFrequencyCost(d.pmf.length, cutoff, n);
  return lowOps < active.length * 2.5 * n * Math.log2(n) ? { frequencies: cutoff } : null;
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
  let whole = spectrum;
  if (whole.length < n + 2) {
    whole = new Float64Array(n + 2); // the frequencies left out are zero
    whole.set(spectrum);
  }
  realFft(n).inverse(whole, circ);
  const pmf = new Float64Array(n);
  pmf.set(circ.subarray(0, n - m), m);
  pmf.set(circ.subarray(n - m), 0);
  return { pmf, offset: 0, domain };
}

function mod(a: number, n: number): number {
  const r = a % n;
  return r < 0 ? r + n : r;
}
