import { describe, expect, it } from 'vitest';
import { warmUpText } from './warmUp';

describe('warm-up display', () => {
  it('says the first step is compiling while a running run has no step yet', () => {
    expect(warmUpText('running', [])).toBe('compiling the first step…');
    expect(warmUpText('idle', [])).toBeNull();
  });
  it('then shows how long the first step took', () => {
    expect(warmUpText('running', [{ step: 1, elapsedMs: 48_250 }])).toBe('first step took 48 s (includes compiling)');
    expect(
      warmUpText('paused', [
        { step: 1, elapsedMs: 1234 },
        { step: 2, elapsedMs: 1300 },
      ]),
    ).toBe('first step took 1.2 s (includes compiling)');
  });
  it('says nothing for a run restored past its first step (its first step is not in view)', () => {
    expect(warmUpText('running', [{ step: 40, elapsedMs: 9000 }])).toBeNull();
  });
});
