/**
 * Random numbers for data and batches: a small seeded generator for reproducible data (generators,
 * splits, fixtures, seeded teaching runs), and uniform draws from the platform CSPRNG for the
 * batches of a private run with secure randomness.
 *
 * mulberry32 (Tommy Ettinger, public domain): 32-bit state, period 2^32, passes PractRand up to
 * a few GB — plenty for datasets of at most millions of rows. Not for cryptography and not the DP
 * noise source (the engine draws its noise separately).
 */

/** Uniform draws: what batch samplers and shuffles need. */
export interface UniformSource {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export interface Rng extends UniformSource {
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal N(0, 1) (Box–Muller). */
  normal(): number;
  /** The generator's 32-bit state: `resumeRng(state)` continues the uniform stream exactly from here. */
  state(): number;
}

/** Mixes any finite number (including negatives and non-integers) into a 32-bit seed. */
function seedToUint32(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`random: seed must be a finite number, got ${seed}`);
  // Fold the integer part and a few fractional bits so that 1 and 1.5 give different streams.
  const hi = Math.floor(seed / 0x1_0000_0000);
  const lo = Math.floor(seed) >>> 0;
  const frac = Math.floor((seed - Math.floor(seed)) * 0x1_0000_0000) >>> 0;
  let h = (lo ^ Math.imul(hi | 0, 0x9e3779b9) ^ Math.imul(frac, 0x85ebca6b)) >>> 0;
  // murmur3 finaliser so that nearby seeds give unrelated streams.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A mulberry32 generator; the same seed always gives the same stream. */
export function createRng(seed: number): Rng {
  return fromState(seedToUint32(seed));
}

/** A generator that continues from a saved `state()` (the pending Box–Muller normal is not kept). */
export function resumeRng(state: number): Rng {
  if (!(Number.isInteger(state) && state >= 0 && state < 2 ** 32))
    throw new RangeError(`random: state must be a 32-bit unsigned integer, got ${state}`);
  return fromState(state);
}

function fromState(initial: number): Rng {
  let state = initial;
  let spare: number | null = null;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
  return {
    next,
    int(n: number): number {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`random.int: n must be a positive integer, got ${n}`);
      return Math.floor(next() * n);
    },
    uniform(lo: number, hi: number): number {
      return lo + (hi - lo) * next();
    },
    normal(): number {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      // 1 - u is in (0, 1], so the log is finite.
      const r = Math.sqrt(-2 * Math.log(1 - next()));
      const theta = 2 * Math.PI * next();
      spare = r * Math.sin(theta);
      return r * Math.cos(theta);
    },
    state: () => state,
  };
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates), deterministic in a seeded `rng`. */
export function permutation(n: number, rng: UniformSource): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Words fetched from the CSPRNG at a time (crypto.getRandomValues takes at most 65,536 bytes). */
const CRYPTO_WORDS = 1024;

/**
 * Uniform draws straight from the platform CSPRNG (`crypto.getRandomValues`, in browsers, workers
 * and Node ≥ 19). There is no seed and no state to save: nothing that was or will be drawn can be
 * recomputed from anything the app stores, shares or exports. Throws where the platform has no
 * CSPRNG, so a private run never falls back to a predictable stream.
 */
export function cryptoUniform(): UniformSource {
  const crypto = globalThis.crypto;
  if (typeof crypto?.getRandomValues !== 'function') {
    throw new Error('random: crypto.getRandomValues is not available, so secure randomness cannot be drawn here');
  }
  const words = new Uint32Array(CRYPTO_WORDS);
  let used = CRYPTO_WORDS;
  const word = (): number => {
    if (used === CRYPTO_WORDS) {
      crypto.getRandomValues(words);
      used = 0;
    }
    return words[used++];
  };
  return {
    // 53 random bits: (27 bits · 2^26 + 26 bits) / 2^53.
    next: () => ((word() >>> 5) * 67108864 + (word() >>> 6)) / 9007199254740992,
    int(n: number): number {
      if (!(Number.isInteger(n) && n > 0 && n <= 2 ** 32)) throw new RangeError(`random.int: n must be an integer in [1, 2^32], got ${n}`);
      // Rejection keeps every value exactly equally likely: accept words below the largest multiple of n.
      const limit = 2 ** 32 - (2 ** 32 % n);
      for (;;) {
        const w = word();
        if (w < limit) return w % n;
      }
    },
  };
}
