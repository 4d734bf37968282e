import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ActivationSchema,
  defaultRunConfig,
  EngineConfigSchema,
  PrivacyConfigSchema,
  syntheticDefaults,
  TrainConfigSchema,
  type RunConfig,
} from './runConfig';
import { allowedHidden, decodeUrlState, encodeUrlState, privacyHideRefusal } from './urlCodec';

describe('URL state', () => {
  it('round-trips the default config and a customised one', () => {
    for (const config of [
      defaultRunConfig(),
      {
        ...defaultRunConfig(),
        ...syntheticDefaults('xor'),
        seed: 42,
        privacy: {
          ...defaultRunConfig().privacy,
          clipping: 'abadi',
          maxGradNorm: 0.1,
          noise: { mode: 'sigma', sigma: 1.3 },
          accountant: 'rdp',
          style: 'layer-wise',
          budgetEpsilon: 2.5,
        },
      } satisfies RunConfig,
    ]) {
      const text = encodeUrlState({ config, hidden: ['privacy', 'compare'] });
      const back = decodeUrlState(text);
      expect(back).toEqual({ ok: true, state: { config, hidden: ['privacy', 'compare'] } });
    }
  });

  it('round-trips random valid settings (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          lr: fc.double({ min: 1e-5, max: 10, noNaN: true }),
          batch: fc.integer({ min: 1, max: 400 }),
          R: fc.double({ min: 1e-3, max: 100, noNaN: true }),
          eps: fc.double({ min: 0.1, max: 20, noNaN: true }),
          hidden: fc.array(fc.integer({ min: 1, max: 512 }), { minLength: 1, maxLength: 4 }),
        }),
        (r) => {
          const c = defaultRunConfig();
          const config: RunConfig = {
            ...c,
            seed: r.seed,
            model: { preset: 'mlp', hidden: r.hidden, activation: 'tanh' },
            train: { ...c.train, learningRate: r.lr, batchSize: r.batch },
            privacy: { ...c.privacy, maxGradNorm: r.R, noise: { mode: 'target', epsilon: r.eps } },
          };
          expect(decodeUrlState(encodeUrlState({ config, hidden: [] }))).toEqual({ ok: true, state: { config, hidden: [] } });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('carries every choice the config schema offers (a name added to the schema is not refused by links)', () => {
    const base = { ...defaultRunConfig(), ...syntheticDefaults('xor') };
    const variants: RunConfig[] = [
      ...PrivacyConfigSchema.shape.clipping.options.map((clipping) => ({ ...base, privacy: { ...base.privacy, clipping } })),
      ...PrivacyConfigSchema.shape.accountant.options.map((accountant) => ({ ...base, privacy: { ...base.privacy, accountant } })),
      ...PrivacyConfigSchema.shape.style.options.map((style) => ({ ...base, privacy: { ...base.privacy, style } })),
      ...TrainConfigSchema.shape.optimizer.options.map((optimizer) => ({ ...base, train: { ...base.train, optimizer } })),
      ...EngineConfigSchema.shape.dpPath.options.map((dpPath) => ({ ...base, engine: { ...base.engine, dpPath } })),
      ...ActivationSchema.options.map((activation) => ({ ...base, model: { preset: 'mlp' as const, hidden: [8], activation } })),
    ];
    for (const config of variants)
      expect(decodeUrlState(encodeUrlState({ config, hidden: [] }))).toEqual({ ok: true, state: { config, hidden: [] } });
  });

  it('names the parameter for bad values and applies nothing', () => {
    expect(decodeUrlState('lr=abc')).toEqual({ ok: false, errors: ["URL parameter 'lr' must be a number, got 'abc'"] });
    expect(decodeUrlState('clip=foo')).toMatchObject({ ok: false, errors: [expect.stringContaining("'clip' must be one of")] });
    expect(decodeUrlState('lr=-1')).toMatchObject({ ok: false, errors: [expect.stringContaining('train.learningRate')] });
    expect(decodeUrlState('evil=<script>')).toMatchObject({ ok: false, errors: ["unknown URL parameter 'evil'"] });
    expect(decodeUrlState('hide=everything')).toMatchObject({
      ok: false,
      errors: [expect.stringContaining("unknown control 'everything'")],
    });
    expect(decodeUrlState('lr=1&lr=2')).toMatchObject({ ok: false, errors: [expect.stringContaining('more than once')] });
  });

  it('carries the backend choice, leaves it out when automatic, and keeps the DP path beside it', () => {
    const wasm: RunConfig = { ...defaultRunConfig(), engine: { dpPath: 'ops', backend: 'wasm' } };
    const hash = encodeUrlState({ config: wasm, hidden: [] });
    expect(hash).toContain('backend=wasm');
    expect(decodeUrlState(hash)).toMatchObject({ ok: true, state: { config: { engine: { dpPath: 'ops', backend: 'wasm' } } } });
    expect(encodeUrlState({ config: defaultRunConfig(), hidden: [] })).not.toContain('backend=');
    expect(decodeUrlState('backend=tpu')).toMatchObject({
      ok: false,
      errors: [expect.stringContaining("'backend' must be one of auto, webgpu, wasm")],
    });
  });

  it('carries a sweep grid, validated', () => {
    const state = { config: defaultRunConfig(), hidden: [], sweep: { R: [0.01, 0.1, 1], lr: [0.001, 0.003], autoV: true, seeds: 1 } };
    expect(decodeUrlState(encodeUrlState(state))).toEqual({ ok: true, state });
    const seeded = { ...state, sweep: { ...state.sweep, seeds: 3 } };
    expect(encodeUrlState(seeded)).toContain('sweepSeeds=3');
    expect(decodeUrlState(encodeUrlState(seeded))).toEqual({ ok: true, state: seeded });
    for (const bad of ['0', '11', '2.5', 'three'])
      expect(decodeUrlState(`sweepR=1&sweepLr=0.1&sweepSeeds=${bad}`)).toMatchObject({
        ok: false,
        errors: [`URL parameter 'sweepSeeds' must be a whole number from 1 to 10, got '${bad}'`],
      });
    expect(decodeUrlState('sweepR=1,x&sweepLr=0.1')).toMatchObject({
      ok: false,
      errors: [expect.stringContaining("'sweepR' must be 1 to 20")],
    });
    expect(decodeUrlState('sweepR=1')).toMatchObject({ ok: false, errors: [expect.stringContaining("'sweepLr' is required")] });
  });

  it('carries a sweep grid without its AUTO-S cells (a lesson grid), and keeps them by default', () => {
    const abadiOnly = {
      config: defaultRunConfig(),
      hidden: [],
      sweep: { R: [0.01, 0.02], lr: [25, 50], autoS: false, autoV: false, seeds: 1 },
    };
    expect(encodeUrlState(abadiOnly)).toContain('sweepS=0');
    expect(decodeUrlState(encodeUrlState(abadiOnly))).toEqual({ ok: true, state: abadiOnly });
    expect(decodeUrlState('sweepR=1&sweepLr=0.1')).toMatchObject({
      ok: true,
      state: { sweep: { R: [1], lr: [0.1], autoV: false, seeds: 1 } },
    });
    expect(decodeUrlState('sweepR=1&sweepLr=0.1&sweepS=1')).toMatchObject({ ok: true, state: { sweep: { R: [1], lr: [0.1] } } });
    expect(decodeUrlState('sweepR=1&sweepLr=0.1&sweepS=no')).toMatchObject({
      ok: false,
      errors: ["URL parameter 'sweepS' must be 0 or 1, got 'no'"],
    });
  });

  it('an empty fragment gives the defaults', () => {
    expect(decodeUrlState('')).toEqual({ ok: true, state: { config: defaultRunConfig(), hidden: [] } });
  });

  it('a URL cannot hide the privacy section while shuffled batches or seeded randomness are active', () => {
    for (const [setting, why] of [
      ['sampling=shuffle', 'shuffled batches are not covered by the accountant'],
      ['secure=0', 'the randomness is seeded (not private against anyone who knows the seed)'],
    ]) {
      const r = decodeUrlState(`${setting}&hide=privacy,compare`);
      expect(r).toMatchObject({
        ok: true,
        state: { hidden: ['compare'], notice: `The link asks to hide the privacy section; it stays visible because ${why}.` },
      });
    }
    const both = decodeUrlState('sampling=shuffle&secure=0&hide=privacy');
    expect(both.ok && both.state.notice).toContain('not covered by the accountant, and the randomness is seeded');
    // Without a caveat the teacher's choice stands, and a private run that is off hides nothing it should not.
    expect(decodeUrlState('hide=privacy')).toEqual({ ok: true, state: { config: defaultRunConfig(), hidden: ['privacy'] } });
    expect(decodeUrlState('dp=0&sampling=shuffle&secure=0&hide=privacy')).toMatchObject({ ok: true, state: { hidden: ['privacy'] } });
  });

  it('allowedHidden and privacyHideRefusal say the same for every config the other paths (files, runs) bring in', () => {
    const shuffled: RunConfig = { ...defaultRunConfig(), privacy: { ...defaultRunConfig().privacy, sampling: 'shuffle' } };
    expect(allowedHidden(shuffled, ['privacy', 'noise'])).toEqual(['noise']);
    expect(privacyHideRefusal(shuffled)).toBe('shuffled batches are not covered by the accountant');
    expect(allowedHidden(defaultRunConfig(), ['privacy'])).toEqual(['privacy']);
    expect(privacyHideRefusal(defaultRunConfig())).toBeNull();
  });
});
