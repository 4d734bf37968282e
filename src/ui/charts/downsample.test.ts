import { describe, expect, it } from 'vitest';
import { lttb } from './downsample';

describe('lttb', () => {
  const pts = Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: Math.sin(i / 300) + (i === 5_000 ? 10 : 0) }));
  const down = lttb(
    pts,
    400,
    (p) => p.x,
    (p) => p.y,
  );

  it('returns the requested number of points, in order, keeping both ends', () => {
    expect(down).toHaveLength(400);
    expect(down[0]).toBe(pts[0]);
    expect(down[399]).toBe(pts[9_999]);
    for (let i = 1; i < down.length; i++) expect(down[i].x).toBeGreaterThan(down[i - 1].x);
  });

  it('keeps a single-point spike', () => {
    expect(down.some((p) => p.x === 5_000)).toBe(true);
  });

  it('leaves short series untouched', () => {
    expect(
      lttb(
        pts.slice(0, 10),
        400,
        (p) => p.x,
        (p) => p.y,
      ),
    ).toHaveLength(10);
  });
});
