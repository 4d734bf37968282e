/**
 * Special functions and log-space arithmetic used by the privacy analyses.
 *
 * erfc / erfcx follow W. J. Cody, "Rational Chebyshev approximations for the error function",
 * Math. Comp. 23 (1969) 631–638 (the SPECFUN CALERF coefficient sets), accurate to about 1e-15
 * relative over the whole real line. `logNdtr` and `logErfc` use the scaled form erfcx(x) = exp(x²)·erfc(x)
 * in the tails so they stay finite and accurate where erfc itself underflows (x > 26.5).
 *
 * ±∞ give the limits; NaN throws, so no NaN leaves these functions for the loops that call them.
 */

const SQRPI = 5.6418958354775628695e-1; // 1/sqrt(pi)
const THRESH = 0.46875;
const SQRT2 = Math.SQRT2;
const LOG2 = Math.LN2;

const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909, 1712.04761263407058,
  2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963, 4362.61909014324716,
  3439.36767414372164, 1230.33935480374942,
];
const P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978,
];
const Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 2.33520497626869185e-3];

/** erf(y) for |y| ≤ 0.46875 (Cody's first interval). */
function erfSmall(y: number): number {
  const z = y * y;
  let num = A[4] * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]) * z;
    den = (den + B[i]) * z;
  }
  return (y * (num + A[3])) / (den + B[3]);
}

/** erfcx(y) = exp(y²)·erfc(y) for y > 0.46875 (Cody's second and third intervals). */
function erfcxLarge(y: number): number {
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  const z = 1 / (y * y);
  let num = P[5] * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * z;
    den = (den + Q[i]) * z;
  }
  const r = (z * (num + P[4])) / (den + Q[4]);
  return (SQRPI - r) / y;
}

/**
 * exp(−y²). For y > 8 it splits y² as Cody does so the rounding of y² (relative error y²·2⁻⁵³) does
 * not cost digits; below that a single exp is already accurate to ~1e-14 and twice as fast.
 */
function expNegSquare(y: number): number {
  if (y <= 8) return Math.exp(-y * y);
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del);
}

function assertNotNaN(x: number, fn: string): void {
  if (x !== x) throw new RangeError(`${fn}: NaN argument`);
}

/** Complementary error function erfc(x) = 1 − erf(x). */
export function erfc(x: number): number {
  assertNotNaN(x, 'erfc');
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  const y = Math.abs(x);
  if (y <= THRESH) return 1 - erfSmall(x);
  if (y >= 27.3 && x > 0) return 0;
  const r = expNegSquare(y) * erfcxLarge(y);
  return x < 0 ? 2 - r : r;
}

/** Scaled complementary error function erfcx(x) = exp(x²)·erfc(x), for x ≥ −26 (larger |x| overflows). */
export function erfcx(x: number): number {
  assertNotNaN(x, 'erfcx');
  const y = Math.abs(x);
  if (y <= THRESH) return Math.exp(x * x) * (1 - erfSmall(x));
  if (x > 0) return erfcxLarge(y);
  const e = Math.exp(y * y);
  return 2 * e - erfcxLarge(y);
}

/** log(erfc(x)), finite for every finite x (Opacus `_log_erfc`). */
export function logErfc(x: number): number {
  assertNotNaN(x, 'logErfc');
  if (x === Infinity) return -Infinity;
  if (x <= THRESH) return Math.log(erfc(x));
  return Math.log(erfcxLarge(x)) - x * x;
}

/** Standard normal CDF Φ(x). */
export function normCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT2);
}

/** log Φ(x), accurate in both tails (scipy.special.log_ndtr). */
export function logNdtr(x: number): number {
  assertNotNaN(x, 'logNdtr');
  if (x === -Infinity) return -Infinity;
  if (x >= 0) return Math.log1p(-0.5 * erfc(x / SQRT2));
  const u = -x / SQRT2;
  if (u <= THRESH) return Math.log(0.5 * erfc(u));
  return Math.log(0.5 * erfcxLarge(u)) - u * u;
}

/** log(e^a + e^b) without overflow. −∞ represents 0; NaN throws (the sums that call it are loops). */
export function logAdd(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) throw new RangeError(`logAdd: NaN argument (${a}, ${b})`);
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (lo === -Infinity || hi === Infinity) return hi;
  return Math.log1p(Math.exp(lo - hi)) + hi;
}

/** log(e^a − e^b) for a ≥ b. Throws when the difference would be negative or is undefined (NaN, ∞ − ∞). */
export function logSub(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b) || b === Infinity) throw new RangeError(`logSub: undefined for (${a}, ${b})`);
  if (a < b) throw new RangeError('logSub: the result of subtraction must be non-negative');
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  const d = a - b;
  // expm1 overflows past ~709.78; then e^a − e^b ≈ e^a.
  if (d > 709) return a;
  return Math.log(Math.expm1(d)) + b;
}

export { LOG2 };
