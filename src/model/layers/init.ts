import * as tf from '@tensorflow/tfjs';

/**
 * Glorot (Xavier) uniform initialisation, U(−l, l) with l = sqrt(6 / (fanIn + fanOut))
 * (Glorot & Bengio 2010). The values come from TF.js's seeded uniform generator, which runs in
 * JavaScript on every backend, so one seed gives the same weights on CPU, WebGL and WebGPU.
 */
export function glorotUniform(shape: number[], fanIn: number, fanOut: number, seed: number): tf.Tensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform(shape, -limit, limit, 'float32', seed);
}

/** Derives a distinct, deterministic seed for parameter `index` of a model built with `seed`. */
export function paramSeed(seed: number, index: number): number {
  // 32-bit mix (splitmix-style) so neighbouring seeds do not give correlated streams.
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
