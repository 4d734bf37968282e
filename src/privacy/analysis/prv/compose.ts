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
import type { DiscretePRV } from './prvs';
import { realFft, scratch } from './realFft';

/** z ← z^k for every complex entry of an interleaved spectrum, by repeated squaring. */
function powSpectrumInPlace(spec: Float64Array, k: number, acc: Float64Array): void {
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
 * Σ_s k_s·Y_s for discretised PRVs on a common grid. The result lives on the same grid, shifted by
 * Σ_s k_s·shift_s, with mass wrapped around the circular domain rotated back into place.
 */
export function composeHeterogeneous(dprvs: readonly DiscretePRV[], counts: readonly number[]): DiscretePRV {
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
    fft.forward(dprvs[s].pmf, spec);
    powSpectrumInPlace(spec, k, powd);
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
  const circ = scratch('circ', n);
  fft.inverse(total, circ);
  // Index S of the circular sum of K grid indices holds value (S − K·c)·dt; the grid index of that
  // value is S − (K − 1)·c, so rotate by m = −(K − 1)·c mod n.
  const m = mod(-((K - 1) % n) * (base.c % n), n);
  const pmf = new Float64Array(n);
  pmf.set(circ.subarray(0, n - m), m);
  pmf.set(circ.subarray(n - m), 0);
  return { pmf, domain: { ...base, shift } };
}

function mod(a: number, n: number): number {
  const r = a % n;
  return r < 0 ? r + n : r;
}
