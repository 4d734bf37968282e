import { hasCaveat, privacyCaveats } from './privacyCaveats';
import { CLIPPING_NAMES } from '../clipping/functions';
import { MAX_SWEEP_SEEDS } from './sweepConfig';
import {
  ACCOUNTANTS,
  ActivationSchema,
  BACKEND_CHOICES,
  defaultRunConfig,
  DP_PATHS,
  mnistDefaults,
  OPTIMIZERS,
  parseRunConfig,
  SYNTHETIC_SETS,
  syntheticDefaults,
  type RunConfig,
} from './runConfig';

/**
 * The run config in a URL fragment, readable and editable by hand (TensorFlow Playground's idea: one
 * table of properties drives both reading and writing, the seed included, so a link reproduces a
 * run). Decoding starts from the defaults, applies each parameter, and validates the result with the
 * config schema; nothing is applied when anything is wrong.
 */

/** Controls a teacher can hide in a shared "classroom" link. */
export const HIDEABLE = ['data', 'model', 'training', 'privacy', 'clipping', 'noise', 'accountant', 'compare'] as const;
export type Hideable = (typeof HIDEABLE)[number];

/** The sweep panel's grid (Abadi R × lr, AUTO-S over the same lr unless left out, optionally AUTO-V) and how many seeds each cell runs. */
export interface SweepGridDraft {
  R: number[];
  lr: number[];
  /** AUTO-S cells over the same learning rates; absent: yes. A lesson's R × lr grid leaves them out. */
  autoS?: boolean;
  autoV: boolean;
  /** Seeds per cell (1 to MAX_SWEEP_SEEDS), consecutive from the run config's seed. */
  seeds: number;
}

export interface UrlState {
  config: RunConfig;
  hidden: Hideable[];
  /** Present when the link carries a sweep grid. */
  sweep?: SweepGridDraft;
  /** Present when part of the link was set aside on purpose (a hide that is not allowed), saying why. */
  notice?: string;
}

/**
 * Why the privacy section may not be hidden for this config (a clause: "shuffled batches are not
 * covered by the accountant"), or null when it may. The section is
 * where a run shows that its batches are not covered by the accountant or that its randomness is
 * seeded; a classroom link must not take that away while either holds.
 */
export function privacyHideRefusal(config: RunConfig): string | null {
  const c = privacyCaveats(config);
  if (!hasCaveat(c)) return null;
  const why = [
    c.notCoveredByAccountant ? 'shuffled batches are not covered by the accountant' : '',
    c.seededRandomness ? 'the randomness is seeded (not private against anyone who knows the seed)' : '',
  ].filter(Boolean);
  return why.join(', and ');
}

/** The controls to hide for a config: `hidden`, less the privacy section when it may not be hidden. */
export function allowedHidden(config: RunConfig, hidden: readonly Hideable[]): Hideable[] {
  return privacyHideRefusal(config) ? hidden.filter((h) => h !== 'privacy') : [...hidden];
}

type Getter = (c: RunConfig) => string | undefined;
type Setter = (c: RunConfig, v: string, key: string) => RunConfig;

interface Prop {
  key: string;
  get: Getter;
  set: Setter;
}

class UrlError extends Error {}

function num(v: string, key: string): number {
  const x = v.trim() === '' ? NaN : Number(v);
  if (!Number.isFinite(x)) throw new UrlError(`URL parameter '${key}' must be a number, got '${v}'`);
  return x;
}

function oneOf<T extends string>(v: string, key: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v))
    throw new UrlError(`URL parameter '${key}' must be one of ${allowed.join(', ')}, got '${v}'`);
  return v as T;
}

function flag(v: string, key: string): boolean {
  if (v !== '0' && v !== '1') throw new UrlError(`URL parameter '${key}' must be 0 or 1, got '${v}'`);
  return v === '1';
}

const fmt = (x: number) => String(x);

const PROPS: Prop[] = [
  { key: 'seed', get: (c) => fmt(c.seed), set: (c, v, k) => ({ ...c, seed: num(v, k) }) },
  {
    key: 'data',
    get: (c) => (c.data.source === 'synthetic' ? c.data.name : c.data.source === 'mnist' ? 'mnist' : undefined),
    set: (c, v, k) => {
      const name = oneOf(v, k, ['mnist', ...SYNTHETIC_SETS] as const);
      if (name === 'mnist') return { ...c, data: mnistDefaults().data };
      const base = syntheticDefaults(name).data;
      return { ...c, data: c.data.source === 'synthetic' ? { ...c.data, name } : base };
    },
  },
  synth('n', 'n'),
  synth('noise', 'noise'),
  synth('test', 'testFraction'),
  {
    key: 'model',
    get: (c) => c.model.preset,
    set: (c, v, k) => {
      const preset = oneOf(v, k, ['logistic', 'mlp', 'cnn'] as const);
      const activation = c.model.preset === 'logistic' ? 'relu' : c.model.activation;
      if (preset === 'logistic') return { ...c, model: { preset } };
      if (preset === 'cnn') return { ...c, model: { preset, activation } };
      return { ...c, model: { preset, hidden: c.model.preset === 'mlp' ? c.model.hidden : [64], activation } };
    },
  },
  {
    key: 'hidden',
    get: (c) => (c.model.preset === 'mlp' ? c.model.hidden.join(',') : undefined),
    set: (c, v, k) => (c.model.preset === 'mlp' ? { ...c, model: { ...c.model, hidden: v.split(',').map((w) => num(w, k)) } } : c),
  },
  {
    key: 'act',
    get: (c) => (c.model.preset === 'logistic' ? undefined : c.model.activation),
    set: (c, v, k) =>
      c.model.preset === 'logistic' ? c : { ...c, model: { ...c.model, activation: oneOf(v, k, ActivationSchema.options) } },
  },
  {
    key: 'opt',
    get: (c) => c.train.optimizer,
    set: (c, v, k) => ({ ...c, train: { ...c.train, optimizer: oneOf(v, k, OPTIMIZERS) } }),
  },
  train('lr', 'learningRate'),
  train('mom', 'momentum'),
  train('wd', 'weightDecay'),
  train('batch', 'batchSize'),
  train('epochs', 'epochs'),
  train('eval', 'evalEvery'),
  { key: 'dp', get: (c) => (c.privacy.enabled ? '1' : '0'), set: (c, v, k) => ({ ...c, privacy: { ...c.privacy, enabled: flag(v, k) } }) },
  {
    key: 'clip',
    get: (c) => c.privacy.clipping,
    set: (c, v, k) => ({ ...c, privacy: { ...c.privacy, clipping: oneOf(v, k, CLIPPING_NAMES) } }),
  },
  { key: 'R', get: (c) => fmt(c.privacy.maxGradNorm), set: (c, v, k) => ({ ...c, privacy: { ...c.privacy, maxGradNorm: num(v, k) } }) },
  { key: 'gamma', get: (c) => fmt(c.privacy.gamma), set: (c, v, k) => ({ ...c, privacy: { ...c.privacy, gamma: num(v, k) } }) },
  {
    key: 'style',
    get: (c) => c.privacy.style,
    set: (c, v, k) => ({ ...c, privacy: { ...c.privacy, style: oneOf(v, k, ['flat', 'layer-wise'] as const) } }),
  },
  {
    key: 'sigma',
    get: (c) => (c.privacy.noise.mode === 'sigma' ? fmt(c.privacy.noise.sigma) : undefined),
    set: (c, v, k) => ({ ...c, privacy: { ...c.privacy, noise: { mode: 'sigma', sigma: num(v, k) } } }),
  },
  {
    key: 'eps',
    get: (c) => (c.privacy.noise.mode === 'target' ? fmt(c.privacy.noise.epsilon) : undefined),
    set: (c, v, k) => ({ ...c, privacy: { ...c.privacy, noise: { mode: 'target', epsilon: num(v, k) } } }),
  },
  { key: 'delta', get: (c) => fmt(c.privacy.delta), set: (c, v, k) => ({ ...c, privacy: { ...c.privacy, delta: num(v, k) } }) },
  {
    key: 'acct',
    get: (c) => c.privacy.accountant,
    set: (c, v, k) => ({ ...c, privacy: { ...c.privacy, accountant: oneOf(v, k, ACCOUNTANTS) } }),
  },
  {
    key: 'sampling',
    get: (c) => c.privacy.sampling,
    set: (c, v, k) => ({ ...c, privacy: { ...c.privacy, sampling: oneOf(v, k, ['poisson', 'shuffle'] as const) } }),
  },
  {
    key: 'secure',
    get: (c) => (c.privacy.secureNoise ? '1' : '0'),
    set: (c, v, k) => ({ ...c, privacy: { ...c.privacy, secureNoise: flag(v, k) } }),
  },
  {
    key: 'budget',
    get: (c) => (c.privacy.budgetEpsilon === null ? undefined : fmt(c.privacy.budgetEpsilon)),
    set: (c, v, k) => ({ ...c, privacy: { ...c.privacy, budgetEpsilon: num(v, k) } }),
  },
  {
    key: 'path',
    get: (c) => c.engine.dpPath,
    set: (c, v, k) => ({ ...c, engine: { ...c.engine, dpPath: oneOf(v, k, DP_PATHS) } }),
  },
  {
    key: 'backend',
    get: (c) => (c.engine.backend === 'auto' ? undefined : c.engine.backend),
    set: (c, v, k) => ({ ...c, engine: { ...c.engine, backend: oneOf(v, k, BACKEND_CHOICES) } }),
  },
];

function synth(key: string, field: 'n' | 'noise' | 'testFraction'): Prop {
  return {
    key,
    get: (c) => (c.data.source === 'synthetic' ? fmt(c.data[field]) : undefined),
    set: (c, v, k) => (c.data.source === 'synthetic' ? { ...c, data: { ...c.data, [field]: num(v, k) } } : c),
  };
}

function train(key: string, field: 'learningRate' | 'momentum' | 'weightDecay' | 'batchSize' | 'epochs' | 'evalEvery'): Prop {
  return { key, get: (c) => fmt(c.train[field]), set: (c, v, k) => ({ ...c, train: { ...c.train, [field]: num(v, k) } }) };
}

/** The fragment (without '#') for a config and the controls it hides. Imported datasets stay local. */
export function encodeUrlState(state: UrlState): string {
  const p = new URLSearchParams();
  for (const prop of PROPS) {
    const v = prop.get(state.config);
    if (v !== undefined) p.set(prop.key, v);
  }
  if (state.hidden.length) p.set('hide', state.hidden.join(','));
  if (state.sweep) {
    p.set('sweepR', state.sweep.R.join(','));
    p.set('sweepLr', state.sweep.lr.join(','));
    if (state.sweep.autoS === false) p.set('sweepS', '0');
    if (state.sweep.autoV) p.set('sweepV', '1');
    if (state.sweep.seeds !== 1) p.set('sweepSeeds', String(state.sweep.seeds));
  }
  return p.toString();
}

/**
 * Reads a fragment. Order matters only for dependent parameters (the dataset and model choice come
 * before their details), so properties are applied in table order whatever the URL's order.
 */
export function decodeUrlState(fragment: string): { ok: true; state: UrlState } | { ok: false; errors: string[] } {
  const params = new URLSearchParams(fragment.startsWith('#') ? fragment.slice(1) : fragment);
  const known = new Set([...PROPS.map((p) => p.key), 'hide', 'sweepR', 'sweepLr', 'sweepS', 'sweepV', 'sweepSeeds']);
  const errors: string[] = [];
  for (const key of params.keys()) if (!known.has(key)) errors.push(`unknown URL parameter '${key}'`);
  for (const key of known) if (params.getAll(key).length > 1) errors.push(`URL parameter '${key}' is given more than once`);
  let config = defaultRunConfig();
  const dataChoice = params.get('data');
  if (dataChoice && dataChoice !== 'mnist' && (SYNTHETIC_SETS as readonly string[]).includes(dataChoice)) {
    config = { ...config, ...syntheticDefaults(dataChoice as (typeof SYNTHETIC_SETS)[number]) };
  }
  for (const prop of PROPS) {
    const v = params.get(prop.key);
    if (v === null) continue;
    try {
      config = prop.set(config, v, prop.key);
    } catch (e) {
      if (e instanceof UrlError) errors.push(e.message);
      else throw e;
    }
  }
  const hidden: Hideable[] = [];
  const hide = params.get('hide');
  if (hide) {
    for (const h of hide.split(',')) {
      if ((HIDEABLE as readonly string[]).includes(h)) hidden.push(h as Hideable);
      else errors.push(`URL parameter 'hide' names an unknown control '${h}' (known: ${HIDEABLE.join(', ')})`);
    }
  }
  let sweep: SweepGridDraft | undefined;
  const sR = params.get('sweepR');
  const sLr = params.get('sweepLr');
  if (sR !== null || sLr !== null || params.get('sweepS') !== null || params.get('sweepV') !== null || params.get('sweepSeeds') !== null) {
    const list = (key: string, v: string | null): number[] => {
      if (v === null) {
        errors.push(`URL parameter '${key}' is required with the other sweep parameters`);
        return [];
      }
      const xs = v.split(',').map((t) => (t.trim() === '' ? NaN : Number(t)));
      if (xs.length === 0 || xs.length > 20 || xs.some((x) => !(Number.isFinite(x) && x > 0))) {
        errors.push(`URL parameter '${key}' must be 1 to 20 comma-separated numbers > 0, got '${v}'`);
      }
      return xs;
    };
    const R = list('sweepR', sR);
    const lr = list('sweepLr', sLr);
    const sweepFlag = (key: string, absent: boolean): boolean => {
      const v = params.get(key);
      if (v === null) return absent;
      try {
        return flag(v, key);
      } catch (e) {
        errors.push((e as Error).message);
        return absent;
      }
    };
    const autoS = sweepFlag('sweepS', true);
    const autoV = sweepFlag('sweepV', false);
    let seeds = 1;
    const k = params.get('sweepSeeds');
    if (k !== null) {
      seeds = Number(k);
      if (!/^\d+$/.test(k) || seeds < 1 || seeds > MAX_SWEEP_SEEDS)
        errors.push(`URL parameter 'sweepSeeds' must be a whole number from 1 to ${MAX_SWEEP_SEEDS}, got '${k}'`);
    }
    sweep = { R, lr, ...(autoS ? {} : { autoS }), autoV, seeds };
  }
  if (errors.length) return { ok: false, errors };
  const check = parseRunConfig(config);
  if (!check.ok) return { ok: false, errors: check.errors };
  const state: UrlState = { config: check.config, hidden: allowedHidden(check.config, hidden) };
  if (sweep) state.sweep = sweep;
  if (state.hidden.length < hidden.length) {
    state.notice = `The link asks to hide the privacy section; it stays visible because ${privacyHideRefusal(check.config)}.`;
  }
  return { ok: true, state };
}
