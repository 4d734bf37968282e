import { CLIPPING_NAMES, clippingFunction, type ClippingFunction } from '../clipping/functions';

/**
 * What the UI says about a clipping function, derived from its entry in src/clipping/functions.ts
 * (never from a name test), so every statement follows the function the user chose.
 */

/** The clipping menu: each function's label and formula, in the table's order. */
export const CLIPPING_OPTIONS = CLIPPING_NAMES.map((name) => {
  const fn = clippingFunction(name);
  return { value: name, label: `${fn.label}: ${fn.formula}` };
});

/** The sensitivity S of the clipped sum, as the UI writes it. */
function sensitivityText(fn: ClippingFunction): string {
  return fn.usesR ? 'R' : '1';
}

/** Help under the clipping menu. */
export function clippingHelp(fn: ClippingFunction): string {
  return `${fn.help} Sensitivity ${sensitivityText(fn)}.`;
}

/** Help under σ: the standard deviation of the noise on the clipped sum is σ·S. */
export function noiseStdHelp(fn: ClippingFunction): string {
  return fn.usesR
    ? 'Noise std is σ·R on the clipped sum (R is the sensitivity).'
    : `Noise std is σ on the clipped sum: ${fn.label} clips every gradient to length at most 1.`;
}

/** Help under the clipping style: layer-wise splits the sensitivity over the K layers. */
export function styleHelp(fn: ClippingFunction): string {
  const s = sensitivityText(fn);
  return `Layer-wise clips each of K layers to ${s}/√K, so the total sensitivity stays ${s}.`;
}
