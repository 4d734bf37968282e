import { describe, expect, it } from 'vitest';
import { RUN_COLORS } from '../../store/runLabels';
import { contrastRatio, markerOf, MARKERS } from './runStyle';

describe('run colours and markers', () => {
  it('the contrast formula gives the WCAG reference values', () => {
    // WCAG 2.1: black on white is 21:1; #777777 on white is 4.48:1 (the classic "just fails AA" grey).
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 6);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
  it.each(RUN_COLORS)('%s has at least 3:1 contrast on white', (c) => {
    expect(contrastRatio(c, '#ffffff')).toBeGreaterThanOrEqual(3);
  });
  it('every run colour has its own marker, so runs stay apart without colour', () => {
    expect(MARKERS.length).toBeGreaterThanOrEqual(RUN_COLORS.length);
    expect(new Set(RUN_COLORS.map(markerOf)).size).toBe(RUN_COLORS.length);
    expect(new Set(RUN_COLORS.map((c) => c.toLowerCase())).size).toBe(RUN_COLORS.length);
  });
});
