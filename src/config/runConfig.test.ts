import { describe, expect, it } from 'vitest';
import { defaultRunConfig, parseRunConfig, syntheticDefaults } from './runConfig';

describe('run config', () => {
  it('accepts the default config', () => {
    expect(parseRunConfig(defaultRunConfig())).toEqual({ ok: true, config: defaultRunConfig() });
  });

  it('names the field for a bad value', () => {
    const c = defaultRunConfig();
    const bad = { ...c, train: { ...c.train, learningRate: -1 } };
    const r = parseRunConfig(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toContain('train.learningRate');
  });

  it('rejects unknown top-level fields and wrong versions', () => {
    expect(parseRunConfig({ ...defaultRunConfig(), extra: 1 }).ok).toBe(false);
    expect(parseRunConfig({ ...defaultRunConfig(), version: 2 }).ok).toBe(false);
  });

  it('rejects an unknown dataset name with the field path', () => {
    const c = { ...defaultRunConfig(), ...syntheticDefaults() };
    expect(parseRunConfig(c).ok).toBe(true);
    const r = parseRunConfig({ ...c, data: { ...c.data, name: 'moons' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain('data.name');
  });

  it('σ ≥ ~6.4e307 with PRV hangs forever: σ and ε are bounded to the range the accountants answer, naming the field', () => {
    const c = defaultRunConfig();
    const privacy = (p: Partial<typeof c.privacy>) => parseRunConfig({ ...c, privacy: { ...c.privacy, ...p } });
    const errors = (r: ReturnType<typeof parseRunConfig>) => (r.ok ? [] : r.errors);
    expect(errors(privacy({ noise: { mode: 'sigma', sigma: 1e308 } }))).toEqual([
      "privacy.noise.sigma must be ≤ 10000 (beyond it every accountant's epsilon is at its floor and the RDP series lose precision)",
    ]);
    expect(errors(privacy({ noise: { mode: 'sigma', sigma: 0.001 } }))).toEqual([
      'privacy.noise.sigma must be ≥ 0.01 for a private run (below it epsilon exceeds 5000 per step in every accountant)',
    ]);
    expect(errors(privacy({ noise: { mode: 'target', epsilon: 1e308 } }))[0]).toMatch(/^privacy\.noise\.epsilon must be ≤ 100 /);
    expect(errors(privacy({ budgetEpsilon: 101 }))[0]).toMatch(/^privacy\.budgetEpsilon must be ≤ 100 /);
    // The bounds themselves are accepted, and σ does not matter when privacy is off.
    expect(privacy({ noise: { mode: 'sigma', sigma: 1e4 } }).ok).toBe(true);
    expect(privacy({ noise: { mode: 'sigma', sigma: 0.01 } }).ok).toBe(true);
    expect(privacy({ noise: { mode: 'target', epsilon: 100 }, budgetEpsilon: 100 }).ok).toBe(true);
    expect(privacy({ enabled: false, noise: { mode: 'sigma', sigma: 0 } }).ok).toBe(true);
  });
});
