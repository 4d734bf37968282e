/**
 * The keyed Gaussian stream of the DP noise: standard normals addressed by (key, step, parameter
 * index, element), so the WebGPU update kernel (src/kernels/webgpu/philox_wgsl.ts) and its CPU twin
 * draw the same numbers without sharing any state. Pure JavaScript, no TF.js.
 */
import { philox4x32 } from './philox';

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
