import type * as tf from '@tensorflow/tfjs';
import { DpConv2DSqNorms, type DpConv2DSqNormsAttrs } from '../kernel_names';
import { runProgram, WORKGROUP_INDEX, type Program } from './program';

/** Threads per workgroup side (16×16) and entries per thread side (4×4): a 64×64 output tile. */
const THREADS = 16;
const PER = 4;
const TILE = THREADS * PER;
/** Output positions staged in workgroup memory per barrier pair (2 × TILE_T × TILE floats = 8 KB). */
const TILE_T = 16;

/**
 * One workgroup (16×16 threads) per sample i. The per-sample weight gradient U_iᵀG_i [kkCin, Cout]
 * is computed in 64×64 output tiles, each thread holding a 4×4 block in registers: 16 output
 * positions at a time of the unfolded input U_i (gathered straight from x with stride and padding,
 * never materialised) and of G_i are staged in workgroup memory and multiplied. Each thread squares
 * its finished entries and keeps a running sum; the bias gradient Σ_t G_i,t is summed by the same
 * threads, and a tree reduction writes ‖U_iᵀG_i‖² + ‖Σ_t G_i,t‖². Nothing of size B × kkCin × Cout
 * touches global memory. The 4×4 register blocks cut the number of tiles (and of barriers, which
 * are expensive on SwiftShader) 16-fold against one entry per thread.
 */
export class Conv2DSqNormsProgram implements Program {
  variableNames = ['x', 'dy'];
  outputShape: number[];
  workgroupSize: [number, number, number] = [THREADS, THREADS, 1];
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  shaderKey = `dpConv2DSqNorms_${THREADS}_${PER}_${TILE_T}`;
  uniforms = 'k : i32, stride : i32, padTop : i32, padLeft : i32,';

  constructor(batch: number) {
    this.outputShape = [batch];
    this.dispatch = [batch, 1, 1];
  }

  getUserCode(): string {
    const n = THREADS * THREADS;
    const loads = (TILE_T * TILE) / n;
    return `
      var<workgroup> Us : array<array<f32, ${TILE}>, ${TILE_T}>;
      var<workgroup> Gs : array<array<f32, ${TILE}>, ${TILE_T}>;
      var<workgroup> red : array<f32, ${n}>;
      fn main(index : i32) {
        let i = ${WORKGROUP_INDEX};
        let live = i < uniforms.xShape.x;
        let lx = i32(localId.x);
        let ly = i32(localId.y);
        let lid = ly * ${THREADS} + lx;
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
        let nT = (T + ${TILE_T - 1}) / ${TILE_T};
        var sq = 0.0;
        for (var pt = 0; pt < nP; pt = pt + 1) {
          for (var ot = 0; ot < nO; ot = ot + 1) {
            var acc0 = vec4<f32>(0.0);
            var acc1 = vec4<f32>(0.0);
            var acc2 = vec4<f32>(0.0);
            var acc3 = vec4<f32>(0.0);
            for (var tt = 0; tt < nT; tt = tt + 1) {
              for (var r = 0; r < ${loads}; r = r + 1) {
                let flat = r * ${n} + lid;
                let row = flat / ${TILE};
                let col = flat - row * ${TILE};
                let t = tt * ${TILE_T} + row;
                let p = pt * ${TILE} + col;
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
                Us[row][col] = u;
                let o = ot * ${TILE} + col;
                var gv = 0.0;
                if (live && t < T && o < O) { gv = dy[(i * T + t) * O + o]; }
                Gs[row][col] = gv;
              }
              workgroupBarrier();
              let rows = min(${TILE_T}, T - tt * ${TILE_T});
              for (var s = 0; s < rows; s = s + 1) {
                let uv = vec4<f32>(Us[s][lx * ${PER}], Us[s][lx * ${PER} + 1], Us[s][lx * ${PER} + 2], Us[s][lx * ${PER} + 3]);
                acc0 = acc0 + uv * Gs[s][ly * ${PER}];
                acc1 = acc1 + uv * Gs[s][ly * ${PER} + 1];
                acc2 = acc2 + uv * Gs[s][ly * ${PER} + 2];
                acc3 = acc3 + uv * Gs[s][ly * ${PER} + 3];
              }
              workgroupBarrier();
            }
            sq = sq + dot(acc0, acc0) + dot(acc1, acc1) + dot(acc2, acc2) + dot(acc3, acc3);
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
    return runProgram(
      backend,
      new Conv2DSqNormsProgram(x.shape[0]),
      [x, dy],
      [
        { type: 'int32', data: [kernelSize] },
        { type: 'int32', data: [stride] },
        { type: 'int32', data: [padTop] },
        { type: 'int32', data: [padLeft] },
      ],
    );
  },
};
