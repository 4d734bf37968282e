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
});
