/** Small statistics helpers for the noise tests (Node and browser). */

/** erf to ~1e-12: Maclaurin series for |x| < 3, continued fraction for erfc beyond. */
export function erf(x: number): number {
  const t = Math.abs(x);
  if (t < 3) {
    let sum = t;
    let term = t;
    for (let k = 1; k < 200; k++) {
      term *= (-t * t) / k;
      const add = term / (2 * k + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  let f = 0;
  for (let k = 60; k >= 1; k--) f = k / 2 / (t + f);
  const erfc = Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
  return x < 0 ? erfc - 1 : 1 - erfc;
}

export function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

export interface NormalFit {
  n: number;
  mean: number;
  std: number;
  /** Kolmogorov–Smirnov statistic against N(0, 1). */
  ks: number;
  /** KS critical value at α = 0.01: 1.63/√n. */
  ksCritical: number;
  /** Pearson χ² over `bins` equiprobable bins of N(0, 1). */
  chiSquare: number;
  bins: number;
  /** χ² critical value at α = 0.001 for bins − 1 degrees of freedom (Wilson–Hilferty). */
  chiSquareCritical: number;
}

export function normalFit(v: ArrayLike<number>, bins = 50): NormalFit {
  const n = v.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += v[i];
  m /= n;
  let s2 = 0;
  for (let i = 0; i < n; i++) s2 += (v[i] - m) ** 2;
  const sorted = Float64Array.from(v).sort();
  let ks = 0;
  const counts = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const c = normalCdf(sorted[i]);
    ks = Math.max(ks, Math.abs(c - i / n), Math.abs(c - (i + 1) / n));
    counts[Math.min(bins - 1, Math.floor(c * bins))]++;
  }
  const e = n / bins;
  let chi = 0;
  for (const c of counts) chi += (c - e) ** 2 / e;
  const df = bins - 1;
  const z = 3.0902; // Φ⁻¹(0.999)
  const chiCrit = df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
  return {
    n,
    mean: m,
    std: Math.sqrt(s2 / (n - 1)),
    ks,
    ksCritical: 1.63 / Math.sqrt(n),
    chiSquare: chi,
    bins,
    chiSquareCritical: chiCrit,
  };
}

/** Sample Pearson correlation. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
