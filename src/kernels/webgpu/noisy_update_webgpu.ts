import type * as tf from '@tensorflow/tfjs';
import { DpNoisyUpdate, type DpNoisyUpdateAttrs, type NoisyUpdateRule } from '../kernel_names';
import { needsGradient } from '../noisy_update';
import { PHILOX_WGSL } from './philox_wgsl';
import { runProgram, type Program } from './program';

const WG = 64;

/** WGSL statements writing element e of one (rule, output) pass; `g` is the noisy gradient when needed. */
function updateCode(rule: NoisyUpdateRule, output: 'param' | 'state'): string {
  if (output === 'state') {
    if (rule === 'momentum' || rule === 'nesterov') return 'result[e] = uniforms.momentum * state[e] + g;';
    return `result[e] = uniforms.beta1 * state[e] + (1.0 - uniforms.beta1) * g;
            result[n + e] = uniforms.beta2 * state[n + e] + (1.0 - uniforms.beta2) * g * g;`;
  }
  switch (rule) {
    case 'grad':
      return 'result[e] = g;';
    case 'sgd':
      return 'result[e] = param[e] - uniforms.lr * g;';
    case 'momentum':
      return 'result[e] = param[e] - uniforms.lr * state[e];';
    case 'nesterov':
      return 'result[e] = param[e] - uniforms.lr * (g + uniforms.momentum * state[e]);';
    case 'adam':
    case 'adamw': {
      const base = rule === 'adamw' ? 'param[e] * (1.0 - uniforms.lr * uniforms.weightDecay)' : 'param[e]';
      return `let mHat = state[e] / uniforms.bc1;
              let vHat = state[n + e] / uniforms.bc2;
              result[e] = ${base} - (mHat / (sqrt(vHat) + uniforms.epsilon)) * uniforms.lr;`;
    }
  }
}

/**
 * One thread per Philox block (4 consecutive elements): it draws the block's four normals in
 * registers, forms g̃ = (sum + std·n)/divisor (+ coupled weight decay) and writes the optimizer's new
 * parameter or state. The noisy gradient never exists as a tensor. Rule, output and whether noise is
 * drawn are baked into the shader and its key; sizes and hyper-parameters are uniforms.
 */
export class NoisyUpdateProgram implements Program {
  variableNames = ['param', 'sum', 'state'];
  outputShape: number[];
  workgroupSize: [number, number, number] = [WG, 1, 1];
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  shaderKey: string;
  uniforms =
    'key0 : u32, key1 : u32, stepIndex : u32, paramIndex : u32, noiseStd : f32, divisor : f32, lr : f32, momentum : f32, ' +
    'beta1 : f32, beta2 : f32, epsilon : f32, weightDecay : f32, bc1 : f32, bc2 : f32,';
  private readonly withGradient: boolean;
  private readonly withNoise: boolean;

  constructor(
    n: number,
    stateRowCount: number,
    private readonly rule: NoisyUpdateRule,
    private readonly output: 'param' | 'state',
    std: number,
    private readonly coupledDecay: boolean,
  ) {
    this.outputShape = output === 'param' ? [n] : [stateRowCount, n];
    this.dispatch = [Math.ceil(Math.ceil(n / 4) / WG), 1, 1];
    this.withGradient = needsGradient(rule, output);
    this.withNoise = this.withGradient && std > 0;
    this.shaderKey = `dpNoisyUpdate_${rule}_${output}_${this.withNoise ? 'noise' : 'exact'}_${coupledDecay ? 'decay' : 'nodecay'}_${WG}`;
  }

  getUserCode(): string {
    const noise = this.withNoise
      ? 'z = keyedNormals(u32(index), uniforms.stepIndex, uniforms.paramIndex, vec2<u32>(uniforms.key0, uniforms.key1));'
      : '';
    const grad = this.withGradient
      ? `var g = (sum[e] + uniforms.noiseStd * z[j]) / uniforms.divisor;
         ${this.coupledDecay ? 'g = g + uniforms.weightDecay * param[e];' : ''}`
      : '';
    return `
      ${PHILOX_WGSL}
      fn main(index : i32) {
        let n = uniforms.paramShape;
        if (index * 4 >= n) { return; }
        // Every binding must be statically used or TF.js's full bind group fails validation
        // (layout 'auto' drops unused bindings); index is never negative.
        if (index < 0) { result[0] = param[0] + sum[0] + state[0]; }
        var z = vec4<f32>(0.0);
        ${noise}
        for (var j = 0; j < 4; j = j + 1) {
          let e = index * 4 + j;
          if (e < n) {
            ${grad}
            ${updateCode(this.rule, this.output)}
          }
        }
      }
    `;
  }
}

export const noisyUpdateWebGpuConfig: tf.KernelConfig = {
  kernelName: DpNoisyUpdate,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { param, sum, state } = inputs as { param: tf.TensorInfo; sum: tf.TensorInfo; state: tf.TensorInfo };
    const a = attrs as unknown as DpNoisyUpdateAttrs;
    const n = param.shape[0];
    const coupled = a.rule !== 'adamw' && a.rule !== 'grad' && a.weightDecay > 0;
    const program = new NoisyUpdateProgram(n, state.shape[0], a.rule, a.output, a.std, coupled);
    return runProgram(
      backend,
      program,
      [param, sum, state],
      [
        { type: 'uint32', data: [a.key0] },
        { type: 'uint32', data: [a.key1] },
        { type: 'uint32', data: [a.step] },
        { type: 'uint32', data: [a.paramIndex] },
        { type: 'float32', data: [a.std] },
        { type: 'float32', data: [a.divisor] },
        { type: 'float32', data: [a.lr] },
        { type: 'float32', data: [a.momentum] },
        { type: 'float32', data: [a.beta1] },
        { type: 'float32', data: [a.beta2] },
        { type: 'float32', data: [a.epsilon] },
        { type: 'float32', data: [a.weightDecay] },
        { type: 'float32', data: [a.biasCorrection1] },
        { type: 'float32', data: [a.biasCorrection2] },
      ],
    );
  },
};
