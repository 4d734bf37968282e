/**
 * WGSL Philox4x32-10 and float32 Box–Muller, the same stream as fillKeyedNormals (src/random/keyedNormals.ts):
 * block b of parameter p at step s is Philox(counter = (b, s, p, 1), key = (key0, key1)); words
 * (0, 1) and (2, 3) each give a pair of normals from 23-bit uniforms (w >> 9 + ½)·2⁻²³.
 * WGSL has no 64-bit integers, so the high half of the 32×32 product is built from 16-bit limbs.
 * log, cos and sin are our own float32 polynomials (the WGSL built-ins only promise about 2⁻¹¹
 * absolute accuracy for cos/sin), mirrored operation by operation in JS.
 */
export const PHILOX_WGSL = `
  fn mulHiLo(a : u32, b : u32) -> vec2<u32> {
    let aL = a & 0xffffu;
    let aH = a >> 16u;
    let bL = b & 0xffffu;
    let bH = b >> 16u;
    let ll = aL * bL;
    let lh = aL * bH;
    let hl = aH * bL;
    let hh = aH * bH;
    let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
    return vec2<u32>(hh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u), a * b);
  }
  fn philox4x32(counter : vec4<u32>, key : vec2<u32>) -> vec4<u32> {
    var x = counter;
    var k = key;
    for (var r = 0; r < 10; r = r + 1) {
      let p0 = mulHiLo(0xd2511f53u, x.x);
      let p1 = mulHiLo(0xcd9e8d57u, x.z);
      x = vec4<u32>(p1.x ^ x.y ^ k.x, p1.y, p0.x ^ x.w ^ k.y, p0.y);
      k = k + vec2<u32>(0x9e3779b9u, 0xbb67ae85u);
    }
    return x;
  }
  // log(u), u = (w >> 9 + ½)·2⁻²³ = v·2⁻²⁴ with v odd: exponent from the integer, mantissa in
  // [√½, √2), log m = 2·atanh((m−1)/(m+1)) by its odd series. Same operations as logUniformF32 (JS).
  fn logUniform(w : u32) -> f32 {
    let v = 2u * (w >> 9u) + 1u;
    var e = i32(firstLeadingBit(v));
    var m = f32(v) / f32(1u << u32(e));
    if (m > 1.4142135) { m = m * 0.5; e = e + 1; }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let p = s * (2.0 + s2 * (0.6666667 + s2 * (0.4 + s2 * (0.2857143 + s2 * 0.2222222))));
    return f32(e - 24) * 0.6931472 + p;
  }
  // (cos 2πu, sin 2πu) for u = (w >> 9 + ½)·2⁻²³: quadrant from 4u, polynomials on [−π/4, π/4].
  // Same operations as sinCos2PiF32 (JS), so the stream does not depend on the GPU's cos/sin/log.
  fn sinCos2Pi(w : u32) -> vec2<f32> {
    let t = (f32(w >> 9u) + 0.5) * 4.76837158203125e-7;
    let q = floor(t);
    let x = (t - q - 0.5) * 1.5707964;
    let x2 = x * x;
    let sx = x * (1.0 + x2 * (-0.16666667 + x2 * (0.008333334 + x2 * (-0.0001984127 + x2 * 0.0000027557319))));
    let cx = 1.0 + x2 * (-0.5 + x2 * (0.041666668 + x2 * (-0.0013888889 + x2 * (0.000024801587 + x2 * -0.00000027557319))));
    let c = (cx - sx) * 0.70710677;
    let s = (cx + sx) * 0.70710677;
    let qi = i32(q);
    if (qi == 0) { return vec2<f32>(c, s); }
    if (qi == 1) { return vec2<f32>(-s, c); }
    if (qi == 2) { return vec2<f32>(-c, -s); }
    return vec2<f32>(s, -c);
  }
  fn keyedNormals(block : u32, step : u32, paramIndex : u32, key : vec2<u32>) -> vec4<f32> {
    let w = philox4x32(vec4<u32>(block, step, paramIndex, 1u), key);
    let r0 = sqrt(-2.0 * logUniform(w.x));
    let a0 = sinCos2Pi(w.y);
    let r1 = sqrt(-2.0 * logUniform(w.z));
    let a1 = sinCos2Pi(w.w);
    return vec4<f32>(r0 * a0.x, r0 * a0.y, r1 * a1.x, r1 * a1.y);
  }
`;
