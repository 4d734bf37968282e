import type * as tf from '@tensorflow/tfjs';

/**
 * The per-sample clipping functions of the DP step, in one table. Everything that needs to know a
 * clipping function — the DP step (tensor ops), our kernels' CPU twins, the statistics, the UI's
 * menus, formulas and help, the CLI, the PyTorch export, the sweep — reads it from here. Adding a
 * function means adding an entry, its WGSL case (src/kernels/webgpu/clip_factors_webgpu.ts, a typed
 * table that does not compile without it) and its test (functions.test.ts).
 *
 * A clipping function maps a per-sample gradient g to C(‖g‖)·g. Its sensitivity S is the largest
 * norm a clipped gradient can have: R for the thresholded functions, 1 for automatic clipping
 * (Bu et al. 2023, whose learning rate absorbs R). The noise added to the clipped sum is N(0, σ²S²).
 * Factors take a group bound b: S for flat clipping, S/√K per group for layer-wise clipping over K
 * groups, so the whole clipped gradient still has norm ≤ S.
 */

/** The functions a user can choose, in menu order (automatic clipping first: the default). */
export const CLIPPING_NAMES = ['auto-s', 'auto-v', 'abadi', 'global'] as const;
export type ClippingName = (typeof CLIPPING_NAMES)[number];
/** 'none' is the non-private baseline: factor 1 and no noise. It is not a user choice. */
export type ClippingNameOrNone = ClippingName | 'none';

/** γ of AUTO-S when none is given (the paper's choice). */
export const DEFAULT_GAMMA = 0.01;

/** The TF.js namespace, passed in so this table stays free of a TF.js runtime import (the UI reads it). */
type Tf = typeof tf;

export interface ClippingFunction {
  readonly name: ClippingNameOrNone;
  /** Short name for labels, legends and tables. */
  readonly label: string;
  /** Whether the user chooses a threshold R (the noise scales with it). */
  readonly usesR: boolean;
  /** Whether the stability constant γ enters the factor (AUTO-S). */
  readonly usesGamma: boolean;
  /** The clipped gradient in plain text, for menus and terminals. */
  readonly formula: string;
  /** The clipped gradient in TeX (KaTeX), for the formula shown beside the controls. */
  readonly tex: string;
  /** One sentence for help texts and the glossary. */
  readonly help: string;
  /** Where it comes from. */
  readonly source: string;
  /** Clip factor C for one norm with group bound `bound` (float64; the reference for every implementation). */
  factor(norm: number, bound: number, gamma: number): number;
  /** The same, elementwise on a tensor of norms with TF.js ops (any backend). */
  factorOps(ops: Tf, norms: tf.Tensor, bound: number, gamma: number): tf.Tensor;
}

const ones = (ops: Tf, norms: tf.Tensor) => ops.onesLike(norms);

/** bound/‖g‖ where ‖g‖ > 0 (guarded, so a zero norm never divides), else `otherwise`. */
function boundOverNorm(ops: Tf, norms: tf.Tensor, bound: number, where: tf.Tensor, otherwise: tf.Tensor): tf.Tensor {
  return ops.where(where, ops.div(bound, ops.where(where, norms, ops.onesLike(norms))), otherwise);
}

const TABLE: Record<ClippingNameOrNone, ClippingFunction> = {
  'auto-s': {
    name: 'auto-s',
    label: 'AUTO-S',
    usesR: false,
    usesGamma: true,
    formula: 'g/(‖g‖+γ)',
    tex: '\\hat g_i = \\frac{g_i}{\\|g_i\\| + \\gamma}',
    help: 'Automatic clipping, stable form: every gradient is normalised to length just under 1, so there is no R to tune; γ keeps tiny gradients from being blown up.',
    source: 'Bu, Wang, Zha, Karypis 2023, Algorithm 1 (γ = 0.01)',
    factor: (norm, bound, gamma) => bound / (norm + gamma),
    factorOps: (ops, norms, bound, gamma) => ops.div(bound, ops.add(norms, gamma)),
  },
  'auto-v': {
    name: 'auto-v',
    label: 'AUTO-V',
    usesR: false,
    usesGamma: false,
    formula: 'g/‖g‖',
    tex: '\\hat g_i = \\frac{g_i}{\\|g_i\\|}',
    help: 'Automatic clipping, vanilla form: every gradient is normalised to length 1 (a zero gradient stays zero).',
    source: 'Bu, Wang, Zha, Karypis 2023, eq. 4',
    // The normalised zero vector is taken to be zero: it contributes nothing and cannot give ∞·0.
    factor: (norm, bound) => (norm > 0 ? bound / norm : 0),
    factorOps: (ops, norms, bound) => boundOverNorm(ops, norms, bound, ops.greater(norms, 0), ops.zerosLike(norms)),
  },
  abadi: {
    name: 'abadi',
    label: 'Abadi',
    usesR: true,
    usesGamma: false,
    formula: 'g·min(1, R/‖g‖)',
    tex: '\\hat g_i = g_i \\cdot \\min\\left(1, \\frac{R}{\\|g_i\\|}\\right)',
    help: 'Abadi clipping (DP-SGD): gradients longer than R are scaled down to length R, shorter ones are kept; R must be tuned.',
    source: 'Abadi et al. 2016',
    factor: (norm, bound) => (norm > bound ? bound / norm : 1),
    factorOps: (ops, norms, bound) => boundOverNorm(ops, norms, bound, ops.greater(norms, bound), ones(ops, norms)),
  },
  global: {
    name: 'global',
    label: 'global',
    usesR: true,
    usesGamma: false,
    formula: 'g if ‖g‖ ≤ R, else 0',
    tex: '\\hat g_i = g_i \\cdot \\mathbb{1}[\\|g_i\\| \\le R]',
    help: 'Global clipping: gradients longer than R are dropped, the others kept whole.',
    source: 'Bu, Wang, Zha, Karypis 2021',
    factor: (norm, bound) => (norm <= bound ? 1 : 0),
    factorOps: (ops, norms, bound) => ops.cast(ops.lessEqual(norms, bound), 'float32'),
  },
  none: {
    name: 'none',
    label: 'non-private',
    usesR: false,
    usesGamma: false,
    formula: 'g',
    tex: '\\hat g_i = g_i',
    help: 'No clipping and no noise: ordinary training, with no privacy guarantee.',
    source: '',
    factor: () => 1,
    factorOps: ones,
  },
};

/** The entry of a clipping function; throws on an unknown name (input from files and URLs arrives as strings). */
export function clippingFunction(name: string): ClippingFunction {
  if (!Object.hasOwn(TABLE, name)) {
    throw new Error(`clipping: unknown clipping function "${name}" (expected one of ${[...CLIPPING_NAMES, 'none'].join(', ')})`);
  }
  return TABLE[name as ClippingNameOrNone];
}

/** The user-selectable functions, in menu order. */
export const CLIPPING_FUNCTIONS: readonly ClippingFunction[] = CLIPPING_NAMES.map((n) => TABLE[n]);

/** Sensitivity S of the clipped sum to one example: R for thresholded functions, 1 for automatic clipping. */
export function sensitivityOf(fn: ClippingFunction, R: number): number {
  return fn.usesR ? R : 1;
}
