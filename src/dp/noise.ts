import * as tf from '@tensorflow/tfjs';
import { philox4x32 } from '../random/philox';
import type { StepKey } from '../random/keyedNormals';

export type { StepKey };

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
  /**
   * Announces that the run's DP step number `step` (its step count before the step: 0, 1, 2, …) is
   * next. Seeded: that step's draws start at a position fixed by (seed, step) alone, so a run resumed
   * from a checkpoint, or replayed, draws at step k the noise it drew at step k the first time (and
   * never the noise of an earlier step again). Secure: nothing (every draw is fresh).
   */
  startStep(step: number): void;
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
  abstract startStep(step: number): void;
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
 * Reproducible stream: Philox4x32-10 with key = (seed low 32 bits, seed high 21 bits). The block
 * counter is (block within the step, step number, 0, 0): `startStep(k)` moves to the start of step
 * k's blocks, so the noise of a step depends on (seed, step) only — a resumed run continues the
 * stream rather than repeating its first steps. Without `startStep` (direct use) the stream runs from
 * step 0. The same seed and the same sequence of calls give the same noise.
 */
export class SeededNoiseSource extends WordNoiseSource {
  readonly kind = 'seeded' as const;
  private readonly key0: number;
  private readonly key1: number;
  /** Block within the current step (counter word 0). */
  private block = 0;
  /** The current step (counter word 1; also the step of the keyed, device-drawn noise). */
  private stepNumber = 0;
  private keyedStep = 0;

  constructor(readonly seed: number) {
    super();
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new Error(`SeededNoiseSource: seed must be a non-negative safe integer, got ${seed}`);
    this.key0 = seed >>> 0;
    this.key1 = Math.floor(seed / 4294967296) >>> 0;
  }

  startStep(step: number): void {
    if (!(Number.isInteger(step) && step >= 0 && step <= 0xffffffff))
      throw new Error(`SeededNoiseSource.startStep: step must be an integer in 0…2^32−1, got ${step}`);
    this.stepNumber = step;
    this.block = 0;
    this.keyedStep = step;
  }

  nextStepKey(): StepKey {
    return { key0: this.key0, key1: this.key1, step: this.keyedStep++ };
  }

  protected fillWords(words: Uint32Array): void {
    for (let w = 0; w < words.length; w += 4) {
      // 2^32 blocks (2^33 normals) in one step would run into the next step's blocks: refuse.
      if (this.block > 0xffffffff) throw new Error('SeededNoiseSource: more than 2^33 normals drawn in one step');
      philox4x32(this.block, this.stepNumber, 0, 0, this.key0, this.key1, words, w);
      this.block++;
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

  startStep(step: number): void {
    this.keyedStep = step; // only numbers the keyed draws: their key is fresh from the CSPRNG every step
  }

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
