import * as tf from '@tensorflow/tfjs';
import { fillKeyedNormals, type StepKey } from '../random/keyedNormals';
import { check, cpuOutput, cpuValues } from './cpu_util';
import { DpNoisyUpdate, stateRows, type DpNoisyUpdateAttrs, type NoisyUpdateRule } from './kernel_names';

const RULES: readonly NoisyUpdateRule[] = ['grad', 'sgd', 'momentum', 'nesterov', 'adam', 'adamw'];

/** Whether a (rule, output) pass needs the noisy gradient g̃ (otherwise it reads the new state only). */
export function needsGradient(rule: NoisyUpdateRule, output: 'param' | 'state'): boolean {
  if (output === 'state') return true;
  return rule === 'grad' || rule === 'sgd' || rule === 'nesterov';
}

/**
 * One pass of the fused noise + update kernel (see DpNoisyUpdate in kernel_names.ts).
 * @param param θ (any shape); @param sum the clipped sum Σ_i C_i g_i (same shape);
 * @param state [S, size(θ)] optimizer state, or null when the rule keeps none.
 * @returns 'param': θ' (or g̃ for rule 'grad') with θ's shape; 'state': the new [S, size(θ)] state.
 */
export function noisyUpdate(param: tf.Tensor, sum: tf.Tensor, state: tf.Tensor | null, attrs: DpNoisyUpdateAttrs): tf.Tensor {
  const n = param.size;
  const rows = stateRows(attrs.rule);
  check(RULES.includes(attrs.rule), () => `noisyUpdate: unknown rule "${String(attrs.rule)}"`);
  check(
    attrs.output === 'param' || attrs.output === 'state',
    () => `noisyUpdate: output must be 'param' or 'state', got "${String(attrs.output)}"`,
  );
  check(!(attrs.output === 'state' && rows === 0), () => `noisyUpdate: rule "${attrs.rule}" keeps no state`);
  check(
    sum.size === n && sum.shape.every((d, i) => d === param.shape[i]),
    () => `noisyUpdate: sum has shape [${sum.shape}], param [${param.shape}]`,
  );
  check(
    rows === 0 ? state === null : state !== null && state.rank === 2 && state.shape[0] === rows && state.shape[1] === n,
    () =>
      `noisyUpdate: rule "${attrs.rule}" needs state ${rows === 0 ? 'null' : `[${rows}, ${n}]`}, got ${state ? `[${state.shape}]` : 'null'}`,
  );
  check(attrs.std >= 0 && Number.isFinite(attrs.std), () => `noisyUpdate: std must be finite and ≥ 0, got ${attrs.std}`);
  check(attrs.divisor > 0 && Number.isFinite(attrs.divisor), () => `noisyUpdate: divisor must be finite and > 0, got ${attrs.divisor}`);
  for (const w of [attrs.key0, attrs.key1, attrs.step, attrs.paramIndex]) {
    check(
      Number.isInteger(w) && w >= 0 && w < 2 ** 32,
      () => `noisyUpdate: key, step and paramIndex must be 32-bit unsigned integers, got ${w}`,
    );
  }
  return tf.tidy(() => {
    const st = state ?? tf.zeros([1, 1]);
    const out = tf
      .engine()
      .runKernel(
        DpNoisyUpdate,
        { param: tf.reshape(param, [n]), sum: tf.reshape(sum, [n]), state: st } as unknown as tf.NamedTensorMap,
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor;
    return attrs.output === 'param' ? tf.reshape(out, param.shape) : out;
  });
}

/**
 * The noisy gradient alone, (sum + std·n)/divisor with n the keyed normals of (key, paramIndex): the
 * update kernel's 'grad' pass, for optimizers it does not fuse and for reading the noise back. The
 * optimizer fields of the kernel's contract are unused by this pass and set to neutral values here.
 */
export function noisyGradient(sum: tf.Tensor, key: StepKey, paramIndex: number, std: number, divisor: number): tf.Tensor {
  return noisyUpdate(sum, sum, null, {
    rule: 'grad',
    output: 'param',
    key0: key.key0,
    key1: key.key1,
    step: key.step,
    paramIndex,
    std,
    divisor,
    lr: 0,
    momentum: 0,
    beta1: 0,
    beta2: 0,
    epsilon: 0,
    weightDecay: 0,
    biasCorrection1: 1,
    biasCorrection2: 1,
  });
}

/**
 * CPU twin: the same arithmetic in float64 with float32 storage, and the same Philox stream
 * (fillKeyedNormals), so it matches the WGSL to float32 rounding.
 */
export const noisyUpdateCpuConfig: tf.KernelConfig = {
  kernelName: DpNoisyUpdate,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { param, sum, state } = inputs as { param: tf.TensorInfo; sum: tf.TensorInfo; state: tf.TensorInfo };
    const a = attrs as unknown as DpNoisyUpdateAttrs;
    const th = cpuValues(backend, param);
    const sv = cpuValues(backend, sum);
    const st = cpuValues(backend, state);
    const n = th.length;
    const noise = new Float32Array(n);
    if (a.std > 0 && needsGradient(a.rule, a.output)) {
      fillKeyedNormals(noise, { key0: a.key0, key1: a.key1, step: a.step }, a.paramIndex);
    }
    const f = Math.fround;
    const coupled = a.rule !== 'adamw' && a.rule !== 'grad';
    const grad = (e: number): number => {
      const g0 = f(f(sv[e] + f(f(a.std) * noise[e])) / f(a.divisor));
      return coupled && a.weightDecay > 0 ? f(g0 + f(f(a.weightDecay) * th[e])) : g0;
    };
    const out = new Float32Array(a.output === 'param' ? n : stateRows(a.rule) * n);
    for (let e = 0; e < n; e++) {
      if (a.output === 'state') {
        const g = grad(e);
        if (a.rule === 'momentum' || a.rule === 'nesterov') {
          out[e] = f(a.momentum) * st[e] + g;
        } else {
          out[e] = f(a.beta1) * st[e] + f(1 - a.beta1) * g;
          out[n + e] = f(a.beta2) * st[n + e] + f(1 - a.beta2) * g * g;
        }
        continue;
      }
      switch (a.rule) {
        case 'grad':
          out[e] = grad(e);
          break;
        case 'sgd':
          out[e] = th[e] - f(a.lr) * grad(e);
          break;
        case 'momentum':
          out[e] = th[e] - f(a.lr) * st[e];
          break;
        case 'nesterov':
          out[e] = th[e] - f(a.lr) * (grad(e) + f(a.momentum) * st[e]);
          break;
        case 'adam':
        case 'adamw': {
          const mHat = st[e] / f(a.biasCorrection1);
          const vHat = st[n + e] / f(a.biasCorrection2);
          const step = (f(mHat) / f(Math.sqrt(f(vHat)) + f(a.epsilon))) * f(a.lr);
          const base = a.rule === 'adamw' ? th[e] * f(1 - f(a.lr) * f(a.weightDecay)) : th[e];
          out[e] = base - step;
          break;
        }
      }
    }
    return cpuOutput(backend, a.output === 'param' ? [n] : [stateRows(a.rule), n], out);
  },
};
