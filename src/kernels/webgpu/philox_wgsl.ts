/**
 * WGSL Philox4x32-10 and float32 Box–Muller, the same stream as fillKeyedNormals (src/dp/noise.ts):
 * block b of parameter p at step s is Philox(counter = (b, s, p, 1), key = (key0, key1)); words
 * (0, 1) and (2, 3) each give a pair of normals from 23-bit uniforms (w >> 9 + ½)·2⁻²³.
 * WGSL has no 64-bit integers, so the high half of the 32×32 product is built from 16-bit limbs.
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
  fn uniform23(w : u32) -> f32 {
    return (f32(w >> 9u) + 0.5) * 1.1920928955078125e-7;
  }
  fn keyedNormals(block : u32, step : u32, paramIndex : u32, key : vec2<u32>) -> vec4<f32> {
    let w = philox4x32(vec4<u32>(block, step, paramIndex, 1u), key);
    let r0 = sqrt(-2.0 * log(uniform23(w.x)));
    let t0 = 6.2831855 * uniform23(w.y);
    let r1 = sqrt(-2.0 * log(uniform23(w.z)));
    let t1 = 6.2831855 * uniform23(w.w);
    return vec4<f32>(r0 * cos(t0), r0 * sin(t0), r1 * cos(t1), r1 * sin(t1));
  }
`;
