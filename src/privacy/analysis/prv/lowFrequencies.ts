/**
 * The lowest frequencies of a discretised PRV's spectrum, without transforming the whole grid.
 *
 * A composition of k steps keeps a frequency f only while |X_f|^k stays above the underflow of
 * floating point: powSpectrum zeroes every entry with |X_f|² < e^{−1490/k}. For long runs that leaves a
 * few hundred of the grid's millions of frequencies (at 1e5 steps, 128 of 1.5 M), so a full FFT of the
 * grid computes almost nothing that is used. This file proves, from the PMF alone, a frequency F above
 * which every |X_f| is below that level (spectrumCutoff), and computes X_f for f < F directly
 * (lowFrequencySpectrum) in O(W·M + F²·W/n) for a window of W points, instead of O(n·log n).
 *
 * The bounds (for X_f = Σ_j p_j e^{−iθj}, θ = 2πf/n, p ≥ 0, Σ p = 1):
 * - Total variation (summation by parts): |X_f|·|1 − e^{−iθ}| = |Σ_j (p_j − p_{j−1}) e^{−iθj}|, so
 *   |X_f| ≤ TV(p) / (2·sin(πf/n)), decreasing in f on (0, n/2]. It decides the high frequencies.
 * - Spread: 1 − |X_f|² = Σ_{j,j'} p_j p_j' (1 − cos θ(j − j')) ≥ (2θ²/π²)·Σ_{j,j' ∈ I} p_j p_j' (j − j')²
 *   for any index interval I of span ≤ π/θ (there |θ(j − j')| ≤ π and 1 − cos x ≥ 2x²/π²), and
 *   Σ_{I×I} p_j p_j' (j − j')² = 2·(P·S2 − S1²) with P, S1, S2 the sums of p, p·j, p·j² over I. One I
 *   serves a whole range of frequencies [lo, hi] (span ≤ n/(2·hi)), where the bound is weakest at lo.
 *   It decides the low frequencies, where the total variation says nothing.
 * Both are checked against full FFTs in lowFrequencies.test.ts.
 */
import type { DiscretePRV } from './prvs';
import { scratch } from './realFft';

/** |X_f|^k is zero in floating point (powSpectrum's threshold) when |X_f|² < this. */
export function negligibleMagnitudeSquared(k: number): number {
  return Math.exp((-2 * 745) / k);
}

/** Each range [lo, hi] of the spread bound is hi·RANGE_RATIO … hi: finer ranges find a lower cutoff. */
const RANGE_RATIO = 0.75;

/**
 * The smallest frequency F the bounds can prove: |X_f|^k underflows (|X_f|² below
 * negligibleMagnitudeSquared(k)) for every F ≤ f ≤ n/2. Returns n/2 + 1 where they prove nothing.
 * O(W) per range of the spread bound, about a dozen ranges.
 */
export function spectrumCutoff(d: DiscretePRV, k: number): number {
  const n = d.domain.size;
  const half = n / 2;
  const p = d.pmf;
  const w = p.length;
  const r2 = negligibleMagnitudeSquared(k);
  const r = Math.sqrt(r2);
  // Rounding in the sums below is ~1e-16 relative; the margins make each bound strictly conservative.
  let tv = p[0] + p[w - 1];
  for (let j = 1; j < w; j++) tv += Math.abs(p[j] - p[j - 1]);
  tv *= 1 + 1e-9;
  const s = tv / (2 * r);
  if (!(s <= 1)) return half + 1;
  let cutoff = Math.min(half + 1, Math.ceil((n / Math.PI) * Math.asin(s)) + 1);

  // Prefix sums of p, p·j, p·j² over the window (j local: the spread is shift-invariant).
  const c0 = scratch('cutoff0', w + 1);
  const c1 = scratch('cutoff1', w + 1);
  const c2 = scratch('cutoff2', w + 1);
  c0[0] = c1[0] = c2[0] = 0;
  for (let j = 0; j < w; j++) {
    c0[j + 1] = c0[j] + p[j];
    c1[j + 1] = c1[j] + p[j] * j;
    c2[j + 1] = c2[j] + p[j] * j * j;
  }
  while (cutoff > 1) {
    const hi = cutoff;
    const lo = Math.max(1, Math.floor(hi * RANGE_RATIO));
    const span = Math.min(w - 1, Math.floor(n / (2 * hi))); // index differences within I are ≤ span
    // Any I gives a valid bound; stepping the start by span/16 keeps this O(16·w/span) for wide I.
    const stride = Math.max(1, Math.floor(span / 16));
    let spread = 0; // max over I of P·S2 − S1²
    for (let a = 0; a + span < w; a += stride) {
      const e = a + span + 1;
      const P = c0[e] - c0[a];
      const S1 = c1[e] - c1[a];
      const v = P * (c2[e] - c2[a]) - S1 * S1;
      if (v > spread) spread = v;
    }
    // Absolute rounding of P·S2 − S1² is about 1e-15·P·S2 ≤ 1e-15·w²: keep the bound on the safe side.
    spread -= 1e-12 * w * w;
    const theta = (2 * Math.PI * lo) / n;
    if (!(1 - ((4 * theta * theta) / (Math.PI * Math.PI)) * spread < r2)) break;
    cutoff = lo;
  }
  return cutoff;
}

/** Taylor terms per block: the remainder is below ρ^M/M!·e^ρ ≤ 5e-24 of the block's mass for ρ ≤ 1. */
const TAYLOR_TERMS = 24;
/** Terms summed plainly before a compensated addition (see lowFrequencySpectrum). */
const CHUNK = 16;

/** Blocks of `size` = 2h + 1 indices (the last one cut at w), h the largest half-integer with θ_max·h ≤ 1. */
function taylorBlocks(w: number, band: number, n: number): { h: number; size: number; blocks: number } {
  const thetaMax = (2 * Math.PI * (band - 1)) / n;
  const h = thetaMax > 0 ? Math.max(0.5, Math.floor(2 / thetaMax) / 2) : (w - 1) / 2 || 0.5;
  const size = Math.min(w, 2 * h + 1);
  return { h, size, blocks: Math.ceil(w / size) };
}

/** Operations of lowFrequencySpectrum for a window of w points: moments, then Horner per block and frequency. */
export function lowFrequencyCost(w: number, band: number, n: number): number {
  return TAYLOR_TERMS * (w + 2 * band * taylorBlocks(w, band, n).blocks);
}

/**
 * X_f = Σ_j p_j e^{−2πi·f·j/n} (j the grid index, as RealFFT.forward of the whole grid) for f < band,
 * interleaved (re, im) into out[0 … 2·band). The window is cut into blocks of half-width h with
 * θ_f·h ≤ 1 for every f < band; in each block e^{−iθ(j − centre)} is a Taylor series in (j − centre)/h,
 * so the block's contribution at every frequency follows from its first TAYLOR_TERMS moments.
 */
export function lowFrequencySpectrum(d: DiscretePRV, band: number, out: Float64Array): void {
  const n = d.domain.size;
  const p = d.pmf;
  const w = p.length;
  if (!(Number.isInteger(band) && band >= 1 && band <= n / 2 + 1 && out.length >= 2 * band))
    throw new RangeError(`lowFrequencySpectrum: band must be an integer in [1, n/2 + 1], got ${band}`);
  const { h, size, blocks } = taylorBlocks(w, band, n);
  const M = TAYLOR_TERMS;
  // coef[s·M + m] = Σ_{j ∈ block s} p_j·u_j^m / m!, u_j = (j − centre)/h ∈ [−1, 1].
  const coef = scratch('taylor', blocks * M);
  const twiceCentre = new Float64Array(blocks); // 2·centre, an integer grid index
  // The moments are sums of up to 2h + 1 terms, and X_f^k multiplies their rounding by k (1e5 at
  // 1e5 steps): chunks of CHUNK terms are summed plainly and added with compensation (Neumaier), so
  // the error stays near the few ulps of an FFT.
  const sum = new Float64Array(M);
  const carry = new Float64Array(M);
  const part = new Float64Array(M);
  for (let s = 0; s < blocks; s++) {
    const a = s * size;
    const e = Math.min(w, a + size);
    const centre = a + (size - 1) / 2;
    twiceCentre[s] = 2 * (d.offset + a) + (size - 1);
    sum.fill(0);
    carry.fill(0);
    for (let c = a; c < e; c += CHUNK) {
      part.fill(0);
      const ce = Math.min(e, c + CHUNK);
      for (let j = c; j < ce; j++) {
        const u = (j - centre) / h;
        let t = p[j];
        for (let m = 0; m < M; m++) {
          part[m] += t;
          t *= u;
        }
      }
      for (let m = 0; m < M; m++) {
        const x = part[m];
        const t = sum[m] + x;
        carry[m] += Math.abs(sum[m]) >= Math.abs(x) ? sum[m] - t + x : x - t + sum[m];
        sum[m] = t;
      }
    }
    let fact = 1;
    for (let m = 0; m < M; m++) {
      if (m > 0) fact *= m;
      coef[s * M + m] = (sum[m] + carry[m]) / fact;
    }
  }
  const twoN = 2 * n;
  for (let f = 0; f < band; f++) {
    const x = ((2 * Math.PI * f) / n) * h;
    let re = 0;
    let im = 0;
    let reCarry = 0;
    let imCarry = 0;
    for (let s = 0; s < blocks; s++) {
      // Σ_m c_m (−ix)^m by Horner on the real and imaginary parts.
      let br = 0;
      let bi = 0;
      for (let m = M - 1; m >= 0; m--) {
        // (br + i·bi)·(−ix) + c_m
        const nr = bi * x + coef[s * M + m];
        bi = -br * x;
        br = nr;
      }
      // times e^{−iθ·centre}, the phase reduced exactly: θ·centre = 2π·(f·2·centre mod 2n)/(2n).
      const phase = (-2 * Math.PI * ((f * twiceCentre[s]) % twoN)) / twoN;
      const c = Math.cos(phase);
      const si = Math.sin(phase);
      const dr = br * c - bi * si;
      const di = br * si + bi * c;
      const tr = re + dr;
      reCarry += Math.abs(re) >= Math.abs(dr) ? re - tr + dr : dr - tr + re;
      re = tr;
      const ti = im + di;
      imCarry += Math.abs(im) >= Math.abs(di) ? im - ti + di : di - ti + im;
      im = ti;
    }
    out[2 * f] = re + reCarry;
    out[2 * f + 1] = im + imCarry;
  }
}
