import { describe, expect, it } from 'vitest';
import { CLIPPING_NAMES, clippingFunction, sensitivityOf } from '../clipping/functions';
import { clippingHelp, noiseStdHelp, styleHelp } from './clippingText';

describe('help text under σ follows the clipping function', () => {
  it.each(CLIPPING_NAMES)('%s: the noise std named in the help is σ·S with S its sensitivity', (name) => {
    const fn = clippingFunction(name);
    // S as the privacy code computes it, at an R no automatic function could mistake for 1.
    const thresholded = sensitivityOf(fn, 7) === 7;
    expect(noiseStdHelp(fn)).toMatch(thresholded ? /σ·R/ : /std is σ on/);
    expect(noiseStdHelp(fn).includes('σ·R')).toBe(thresholded);
    expect(styleHelp(fn)).toContain(thresholded ? 'stays R' : 'stays 1');
    expect(clippingHelp(fn)).toContain(thresholded ? 'Sensitivity R' : 'Sensitivity 1');
  });
});
