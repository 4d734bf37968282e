import type * as tf from '@tensorflow/tfjs';
import { DpConv2DSqNorms, type DpConv2DSqNormsAttrs } from '../kernel_names';
import { runProgram, WORKGROUP_INDEX, type Program } from './program';

const TILE = 16;

/**
 * One workgroup (16×16 threads) per sample i. The per-sample weight gradient U_iᵀG_i [kkCin, Cout]
 * is computed tile by tile: for each 16×16 output tile, 16 output positions at a time of the
 * unfolded input U_i (gathered straight from x with stride and padding, never materialised) and of
 * G_i are staged in workgroup memory and multiplied; each thread squares its finished entry and
 * keeps a running sum. The bias gradient Σ_t G_i,t is summed by the same threads, and a tree
 * reduction writes ‖U_iᵀG_i‖² + ‖Σ_t G_i,t‖² — nothing of size B × kkCin × Cout touches global memory.
 */
export class Conv2DSqNormsProgram implements Program {
  variableNames = ['x', 'dy'];
  outputShape: number[];
  workgroupSize: [number, number, number] = [TILE, TILE, 1];
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  shaderKey = `dpConv2DSqNorms_${TILE}`;
  uniforms = 'k : i32, stride : i32, padTop : i32, padLeft : i32,';

  constructor(batch: number) {
    this.outputShape = [batch];
    this.dispatch = [batch, 1, 1];
  }

  getUserCode(): string {
    const n = TILE * TILE;
    return `
      var<workgroup> Us : array<array<f32, ${TILE}>, ${TILE}>;
      var<workgroup> Gs : array<array<f32, ${TILE}>, ${TILE}>;
      var<workgroup> red : array<f32, ${n}>;
      fn main(index : i32) {
        let i = ${WORKGROUP_INDEX};
        let live = i < uniforms.xShape.x;
        let lx = i32(localId.x);
        let ly = i32(localId.y);
        let lid = ly * ${TILE} + lx;
        let H = uniforms.xShape.y;
        let W = uniforms.xShape.z;
        let C = uniforms.xShape.w;
        let Wo = uniforms.dyShape.z;
        let T = uniforms.dyShape.y * Wo;
        let O = uniforms.dyShape.w;
        let k = uniforms.k;
        let P = k * k * C;
        let nP = (P + ${TILE - 1}) / ${TILE};
        let nO = (O + ${TILE - 1}) / ${TILE};
        let nT = (T + ${TILE - 1}) / ${TILE};
        var sq = 0.0;
        for (var pt = 0; pt < nP; pt = pt + 1) {
          for (var ot = 0; ot < nO; ot = ot + 1) {
            var acc = 0.0;
            for (var tt = 0; tt < nT; tt = tt + 1) {
              let t = tt * ${TILE} + ly;
              let p = pt * ${TILE} + lx;
              var u = 0.0;
              if (live && t < T && p < P) {
                let oh = t / Wo;
                let ow = t - oh * Wo;
                let kk = p / C;
                let c = p - kk * C;
                let kh = kk / k;
                let kw = kk - kh * k;
                let ih = oh * uniforms.stride - uniforms.padTop + kh;
                let iw = ow * uniforms.stride - uniforms.padLeft + kw;
                if (ih >= 0 && ih < H && iw >= 0 && iw < W) { u = x[((i * H + ih) * W + iw) * C + c]; }
              }
              Us[ly][lx] = u;
              let o = ot * ${TILE} + lx;
              var gv = 0.0;
              if (live && t < T && o < O) { gv = dy[(i * T + t) * O + o]; }
              Gs[ly][lx] = gv;
              workgroupBarrier();
              for (var s = 0; s < ${TILE}; s = s + 1) { acc = acc + Us[s][lx] * Gs[s][ly]; }
              workgroupBarrier();
            }
            sq = sq + acc * acc;
          }
        }
        if (live) {
          for (var o = lid; o < O; o = o + ${n}) {
            var bs = 0.0;
            for (var t = 0; t < T; t = t + 1) { bs = bs + dy[(i * T + t) * O + o]; }
            sq = sq + bs * bs;
          }
        }
        red[lid] = sq;
        workgroupBarrier();
        for (var s = ${n / 2}; s > 0; s = s / 2) {
          if (lid < s) { red[lid] = red[lid] + red[lid + s]; }
          workgroupBarrier();
        }
        if (lid == 0 && live) { result[i] = red[0]; }
      }
    `;
  }
}

export const conv2dSqNormsWebGpuConfig: tf.KernelConfig = {
  kernelName: DpConv2DSqNorms,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { kernelSize, stride, padTop, padLeft } = attrs as unknown as DpConv2DSqNormsAttrs;
    return runProgram(backend, new Conv2DSqNormsProgram(x.shape[0]), [x, dy], [
      { type: 'int32', data: [kernelSize] },
      { type: 'int32', data: [stride] },
      { type: 'int32', data: [padTop] },
      { type: 'int32', data: [padLeft] },
    ]);
  },
};
