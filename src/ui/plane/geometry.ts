import type { GradientPlane } from '../../domain/gradientPlane';

/** Point i of interleaved (x, y) coordinates. */
export function pointOf(xy: Float32Array, i: number): [number, number] {
  return [xy[2 * i], xy[2 * i + 1]];
}

/** Arrow tips between the raw (t = 0) and the clipped (t = 1) gradients, interleaved. */
export function interpolate(plane: GradientPlane, t: number): Float32Array {
  const out = new Float32Array(plane.raw.length);
  for (let k = 0; k < out.length; k++) out[k] = plane.raw[k] + t * (plane.clipped[k] - plane.raw[k]);
  return out;
}

/** Σ of interleaved (x, y) points: the projection of a sum is the sum of the projections. */
export function sumOf(xy: Float32Array): [number, number] {
  let x = 0;
  let y = 0;
  for (let i = 0; i < xy.length; i += 2) {
    x += xy[i];
    y += xy[i + 1];
  }
  return [x, y];
}

/** Half-width of the square the arrows are drawn in: the longest arrow or the circle, with a margin. */
export function extentOf(xy: Float32Array, circle: number | null): number {
  let r = circle ?? 0;
  for (let i = 0; i < xy.length; i += 2) r = Math.max(r, Math.hypot(xy[i], xy[i + 1]));
  return r > 0 ? r * 1.1 : 1;
}

/** Median of an array (0 when empty). */
export function median(a: ArrayLike<number>): number {
  const s = Array.from(a).sort((x, y) => x - y);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : 0;
}

/** A compact number for labels. */
export function fmt(v: number): string {
  return v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toPrecision(3);
}
