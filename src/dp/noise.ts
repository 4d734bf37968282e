import * as tf from '@tensorflow/tfjs';
import { philox4x32 } from './philox';

/**
 * Where the Gaussian noise of the DP step comes from. Implementations return float32 tensors so a
 * GPU generator (e.g. a Philox WebGPU kernel keyed like `SeededNoiseSource`) can take over without
 * changing callers.
 */
export interface NoiseSource {
  /** 'seeded': reproducible, for experiments and tests. 'secure': CSPRNG, for real private training. */
  readonly kind: 'seeded' | 'secure';
  /** Fills `out` with i.i.d. standard normal draws, advancing the stream. */
  fillStandardNormal(out: Float32Array): void;
  /** A tensor of i.i.d. N(0, std²) draws, advancing the stream. */
  normal(shape: number[], std: number): tf.Tensor;
  /**
   * The Philox key and step number of the next DP step, for generators that draw on the device
   * (the fused noise kernel, keyed by (key, step, parameter index)). Advances the step. Seeded: the
   * seed is the key and steps count 0, 1, 2, …; secure: a fresh CSPRNG key every step.
   */
  nextStepKey(): StepKey;
}

/** Key and step of one DP step's counter-based noise. */
export interface StepKey {
  key0: number;
  key1: number;
  step: number;
}

/** Counter word 3 of the keyed stream; the sequential SeededNoiseSource stream uses 0 there. */
export const KEYED_STREAM = 1;
const f = Math.fround;
const SQRT2_F = f(1.4142135);
const LN2_F = f(0.6931472);
const C_LOG = [f(0.6666667), f(0.4), f(0.2857143), f(0.2222222)];
const HALF_PI_F = f(1.5707964);
const INV_SQRT2_F = f(0.70710677);
const C_SIN = [f(-0.16666667), f(0.008333334), f(-0.0001984127), f(0.0000027557319)];
const C_COS = [f(0.041666668), f(-0.0013888889), f(0.000024801587), f(-0.00000027557319)];

/**
 * log(u) in float32 for u = (w >>> 9 + ½)·2⁻²³ = v·2⁻²⁴: exponent of the odd integer v, mantissa in
 * [√½, √2), log m = 2·atanh((m−1)/(m+1)) by its odd series to s⁹ (relative error < 1e-7). Mirrors
 * logUniform in src/kernels/webgpu/philox_wgsl.ts operation by operation.
 */
export function logUniformF32(w: number): number {
  const v = 2 * (w >>> 9) + 1;
  let e = 31 - Math.clz32(v);
  let m = f(v / 2 ** e);
  if (m > SQRT2_F) {
    m = f(m * 0.5);
    e++;
  }
  const s = f(f(m - 1) / f(m + 1));
  const s2 = f(s * s);
  const p = f(s * f(2 + f(s2 * f(C_LOG[0] + f(s2 * f(C_LOG[1] + f(s2 * f(C_LOG[2] + f(s2 * C_LOG[3])))))))));
  return f(f((e - 24) * LN2_F) + p);
}

/** (cos 2πu, sin 2πu) in float32 for u = (w >>> 9 + ½)·2⁻²³; mirrors sinCos2Pi in the WGSL. */
export function sinCos2PiF32(w: number): [number, number] {
  const t = f(((w >>> 9) + 0.5) * 4.76837158203125e-7);
  const q = Math.floor(t);
  const x = f(f(f(t - q) - 0.5) * HALF_PI_F);
  const x2 = f(x * x);
  const sx = f(x * f(1 + f(x2 * f(C_SIN[0] + f(x2 * f(C_SIN[1] + f(x2 * f(C_SIN[2] + f(x2 * C_SIN[3])))))))));
  const cx = f(1 + f(x2 * f(-0.5 + f(x2 * f(C_COS[0] + f(x2 * f(C_COS[1] + f(x2 * f(C_COS[2] + f(x2 * C_COS[3]))))))))));
  const c = f(f(cx - sx) * INV_SQRT2_F);
  const s = f(f(cx + sx) * INV_SQRT2_F);
  switch (q) {
    case 0:
      return [c, s];
    case 1:
      return [-s, c];
    case 2:
      return [-c, -s];
    default:
      return [s, -c];
  }
}

/**
 * Standard normals of the keyed stream, element e of parameter `paramIndex` at `step`: Philox4x32-10
 * block (counter = (⌊e/4⌋, step, paramIndex, KEYED_STREAM), key = (key0, key1)) gives four words;
 * words (0, 1) and (2, 3) each give a Box–Muller pair r·(cos θ, sin θ), r = √(−2 log u1), θ = 2πu2,
 * with 23-bit uniforms u = (w >> 9 + ½)·2⁻²³ ∈ (0, 1), all in float32 with our own log/cos/sin
 * polynomials, so the WGSL kernel (src/kernels/webgpu/philox_wgsl.ts) reproduces it to float32
 * rounding whatever the GPU's built-in transcendentals. The 23-bit uniform caps |n| at
 * √(2·24·ln 2) ≈ 5.77.
 */
export function fillKeyedNormals(out: Float32Array, key: StepKey, paramIndex: number, offset = 0): void {
  const words = new Uint32Array(4);
  const n = out.length;
  const first = Math.floor(offset / 4);
  for (let b = first; b * 4 < offset + n; b++) {
    philox4x32(b, key.step, paramIndex, KEYED_STREAM, key.key0, key.key1, words, 0);
    for (let pair = 0; pair < 2; pair++) {
      const r = f(Math.sqrt(f(-2 * logUniformF32(words[2 * pair]))));
      const [c, s] = sinCos2PiF32(words[2 * pair + 1]);
      const e0 = b * 4 + 2 * pair - offset;
      if (e0 >= 0 && e0 < n) out[e0] = f(r * c);
      if (e0 + 1 >= 0 && e0 + 1 < n) out[e0 + 1] = f(r * s);
    }
  }
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/**
 * Uniform in the open interval (0, 1) with 53 random bits from two 32-bit words, so log(u) is finite.
 */
function uniform53(a: number, b: number): number {
  return ((a >>> 5) * TWO_POW_26 + (b >>> 6) + 0.5) / TWO_POW_53;
}

/**
 * Box–Muller transform of a stream of 32-bit words, four words per pair of normals, computed in
 * float64 and rounded to float32. (Textbook floating-point samplers are known to leak through their
 * low-order bits — Mironov, CCS 2012; this playground does not defend against that attack.)
 */
function boxMuller(words: Uint32Array, out: Float32Array): void {
  const n = out.length;
  for (let i = 0, w = 0; i < n; i += 2, w += 4) {
    const u1 = uniform53(words[w], words[w + 1]);
    const u2 = uniform53(words[w + 2], words[w + 3]);
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    out[i] = r * Math.cos(theta);
    if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
  }
}

abstract class WordNoiseSource implements NoiseSource {
  abstract readonly kind: 'seeded' | 'secure';
  abstract nextStepKey(): StepKey;
  /** Fills `words` (length a multiple of 4) with fresh random 32-bit words. */
  protected abstract fillWords(words: Uint32Array): void;

  fillStandardNormal(out: Float32Array): void {
    const words = new Uint32Array(Math.ceil(out.length / 2) * 4);
    this.fillWords(words);
    boxMuller(words, out);
  }

  normal(shape: number[], std: number): tf.Tensor {
    if (!(std >= 0 && Number.isFinite(std))) throw new Error(`NoiseSource.normal: std must be finite and ≥ 0, got ${std}`);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    this.fillStandardNormal(values);
    if (std !== 1) for (let i = 0; i < size; i++) values[i] *= std;
    return tf.tensor(values, shape, 'float32');
  }
}

/**
 * Reproducible stream: Philox4x32-10 with key = (seed low 32 bits, seed high 21 bits) and a 64-bit
 * block counter starting at 0. The same seed and the same sequence of calls give the same noise.
 */
export class SeededNoiseSource extends WordNoiseSource {
  readonly kind = 'seeded' as const;
  private readonly key0: number;
  private readonly key1: number;
  private counterLo = 0;
  private counterHi = 0;

  constructor(readonly seed: number) {
    super();
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new Error(`SeededNoiseSource: seed must be a non-negative safe integer, got ${seed}`);
    this.key0 = seed >>> 0;
    this.key1 = Math.floor(seed / 4294967296) >>> 0;
  }

  private keyedStep = 0;

  nextStepKey(): StepKey {
    return { key0: this.key0, key1: this.key1, step: this.keyedStep++ };
  }

  protected fillWords(words: Uint32Array): void {
    for (let w = 0; w < words.length; w += 4) {
      philox4x32(this.counterLo, this.counterHi, 0, 0, this.key0, this.key1, words, w);
      this.counterLo = (this.counterLo + 1) >>> 0;
      if (this.counterLo === 0) this.counterHi = (this.counterHi + 1) >>> 0;
    }
  }
}

/** Largest request crypto.getRandomValues accepts, in 32-bit words (65,536 bytes). */
const CRYPTO_CHUNK_WORDS = 16384;

/**
 * Secure mode (the default for real private training): every random word comes straight from the
 * platform CSPRNG (`crypto.getRandomValues`, available in browsers, workers and Node ≥ 19), so the
 * stream is neither reproducible nor predictable from any seed.
 */
export class SecureNoiseSource extends WordNoiseSource {
  readonly kind = 'secure' as const;

  constructor() {
    super();
    if (typeof globalThis.crypto?.getRandomValues !== 'function') {
      throw new Error('SecureNoiseSource: crypto.getRandomValues is not available in this environment');
    }
  }

  private keyedStep = 0;

  nextStepKey(): StepKey {
    const k = new Uint32Array(2);
    globalThis.crypto.getRandomValues(k);
    return { key0: k[0], key1: k[1], step: this.keyedStep++ };
  }

  protected fillWords(words: Uint32Array): void {
    for (let start = 0; start < words.length; start += CRYPTO_CHUNK_WORDS) {
      globalThis.crypto.getRandomValues(words.subarray(start, Math.min(words.length, start + CRYPTO_CHUNK_WORDS)));
    }
  }
}

/** Secure noise unless a seed is given (reproducible mode). */
export function createNoiseSource(seed?: number): NoiseSource {
  return seed === undefined ? new SecureNoiseSource() : new SeededNoiseSource(seed);
}
