import type * as tf from '@tensorflow/tfjs';
import { DpConv2DSqNorms, type DpConv2DSqNormsAttrs } from '../kernel_names';
import { runProgram, WORKGROUP_INDEX, type Program } from './program';

/** Threads per workgroup. */
const THREADS = 64;

/** Threads that share one sample: the block count rounded up to a power of two, at most THREADS. */
function lanesPerSample(blocks: number): number {
  let lanes = 1;
  while (lanes < blocks && lanes < THREADS) lanes *= 2;
  return lanes;
}

/** Loads of x at (ih, iw) of one sample and of dy, 0 outside the image or where `ok` is false. */
const GATHER = `
  fn xAt(base : i32, ih : i32, iw : i32, c : i32, ok : bool) -> f32 {
    if (ok && ih >= 0 && ih < uniforms.xShape.y && iw >= 0 && iw < uniforms.xShape.z) {
      return x[base + (ih * uniforms.xShape.z + iw) * uniforms.xShape.w + c];
    }
    return 0.0;
  }
  fn dyAt(idx : i32, ok : bool) -> f32 {
    if (ok) { return dy[idx]; }
    return 0.0;
  }
`;

/** Writes the valid entries (ook) of one row of a 4×4 block of per-sample gradients. */
const STORE_ROW = `
  fn storeRow(base : i32, v : vec4<f32>, ook : vec4<bool>) {
    if (ook.x) { result[base] = v.x; }
    if (ook.y) { result[base + 1] = v.y; }
    if (ook.z) { result[base + 2] = v.z; }
    if (ook.w) { result[base + 3] = v.w; }
  }
`;

/** What the program makes of each sample's gradient: its squared norm [B], or the gradient itself [B, kkCin·Cout + Cout]. */
export type Conv2DSampleOutput = 'sqNorms' | 'grads';

/**
 * Each thread owns 4×4 blocks of sample i's weight gradient U_iᵀG_i [kkCin, Cout]
 * (4 patch entries p × 4 output channels o), accumulates them in registers over the T output
 * positions, gathering U from x with stride and padding, then adds their squares to sq or stores them.
 */
function weightBlocks(output: Conv2DSampleOutput): string {
  const finish =
    output === 'sqNorms'
      ? 'sq = sq + dot(acc0, acc0) + dot(acc1, acc1) + dot(acc2, acc2) + dot(acc3, acc3);'
      : `let rb = i * N + pb * 4 * O + o0;
      if (pok.x) { storeRow(rb, acc0, ook); }
      if (pok.y) { storeRow(rb + O, acc1, ook); }
      if (pok.z) { storeRow(rb + 2 * O, acc2, ook); }
      if (pok.w) { storeRow(rb + 3 * O, acc3, ook); }`;
  return `
    let nOb = (O + 3) / 4;
    let nb = ((P + 3) / 4) * nOb;
    for (var blk = lane; blk < nb; blk = blk + LANES) {
      let pb = blk / nOb;
      let o0 = (blk - pb * nOb) * 4;
      var kh = vec4<i32>(0);
      var kw = vec4<i32>(0);
      var cc = vec4<i32>(0);
      var pok = vec4<bool>(false);
      for (var j = 0; j < 4; j = j + 1) {
        let p = pb * 4 + j;
        let kk = p / C;
        kh[j] = kk / k;
        kw[j] = kk - kh[j] * k;
        cc[j] = p - kk * C;
        pok[j] = p < P;
      }
      let ook = vec4<bool>(o0 < O, o0 + 1 < O, o0 + 2 < O, o0 + 3 < O);
      var acc0 = vec4<f32>(0.0);
      var acc1 = vec4<f32>(0.0);
      var acc2 = vec4<f32>(0.0);
      var acc3 = vec4<f32>(0.0);
      for (var oh = 0; oh < Ho; oh = oh + 1) {
        let ih0 = oh * uniforms.stride - uniforms.padTop;
        for (var ow = 0; ow < Wo; ow = ow + 1) {
          let iw0 = ow * uniforms.stride - uniforms.padLeft;
          let gi = ((i * Ho + oh) * Wo + ow) * O + o0;
          let g = vec4<f32>(dyAt(gi, ook.x), dyAt(gi + 1, ook.y), dyAt(gi + 2, ook.z), dyAt(gi + 3, ook.w));
          acc0 = acc0 + xAt(xBase, ih0 + kh.x, iw0 + kw.x, cc.x, pok.x) * g;
          acc1 = acc1 + xAt(xBase, ih0 + kh.y, iw0 + kw.y, cc.y, pok.y) * g;
          acc2 = acc2 + xAt(xBase, ih0 + kh.z, iw0 + kw.z, cc.z, pok.z) * g;
          acc3 = acc3 + xAt(xBase, ih0 + kh.w, iw0 + kw.w, cc.w, pok.w) * g;
        }
      }
      ${finish}
    }`;
}

/**
 * Per-sample gradients of a Conv2D layer, reduced to ‖U_iᵀG_i‖² + ‖Σ_t G_i,t‖² ('sqNorms') or stored
 * ('grads'). A workgroup of 64 threads serves 64 / LANES samples; the LANES threads of a sample split
 * its 4×4 blocks. For the norms they keep partial sums of squares in registers and meet once, in a
 * tree reduction in workgroup memory: neither U_i nor the per-sample gradient ever exists in memory,
 * x and dy are read straight from their buffers, and the only barriers are the reduction's log2(LANES).
 */
export class Conv2DSqNormsProgram implements Program {
  variableNames = ['x', 'dy'];
  outputShape: number[];
  workgroupSize: [number, number, number] = [THREADS, 1, 1];
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  shaderKey: string;
  uniforms = 'k : i32, stride : i32, padTop : i32, padLeft : i32,';
  private readonly lanes: number;

  /**
   * @param blocks 4×4 blocks of one sample's weight gradient, ⌈kkCin/4⌉·⌈Cout/4⌉;
   * @param gradSize kkCin·Cout + Cout, the row length of the 'grads' output.
   */
  constructor(
    batch: number,
    blocks: number,
    private readonly output: Conv2DSampleOutput = 'sqNorms',
    gradSize = 0,
  ) {
    this.lanes = lanesPerSample(blocks);
    this.outputShape = output === 'sqNorms' ? [batch] : [batch, gradSize];
    this.dispatch = [Math.ceil(batch / (THREADS / this.lanes)), 1, 1];
    this.shaderKey = `dpConv2D_${output}_${THREADS}_${this.lanes}`;
  }

  getUserCode(): string {
    const norms = this.output === 'sqNorms';
    return `
      const LANES = ${this.lanes};
      ${norms ? `var<workgroup> red : array<f32, ${THREADS}>;` : STORE_ROW}
      ${GATHER}
      fn main(index : i32) {
        let lid = i32(localId.x);
        let slot = lid / LANES;
        let lane = lid - slot * LANES;
        let i = ${WORKGROUP_INDEX} * ${THREADS / this.lanes} + slot;
        let H = uniforms.xShape.y;
        let W = uniforms.xShape.z;
        let C = uniforms.xShape.w;
        let Ho = uniforms.dyShape.y;
        let Wo = uniforms.dyShape.z;
        let T = Ho * Wo;
        let O = uniforms.dyShape.w;
        let k = uniforms.k;
        let P = k * k * C;
        let N = P * O + O;
        let xBase = i * H * W * C;
        var sq = 0.0;
        if (i < uniforms.xShape.x) {
          ${weightBlocks(this.output)}
          // Bias gradient Σ_t G_i,t, output channels split over the sample's lanes.
          for (var o = lane; o < O; o = o + LANES) {
            var bs = 0.0;
            for (var t = 0; t < T; t = t + 1) { bs = bs + dy[(i * T + t) * O + o]; }
            ${norms ? 'sq = sq + bs * bs;' : 'result[i * N + P * O + o] = bs;'}
          }
        }
        ${
          norms
            ? `red[lid] = sq;
        workgroupBarrier();
        for (var s = LANES / 2; s > 0; s = s / 2) {
          if (lane < s) { red[lid] = red[lid] + red[lid + s]; }
          workgroupBarrier();
        }
        if (lane == 0 && i < uniforms.xShape.x) { result[i] = red[lid]; }`
            : ''
        }
      }
    `;
  }
}

/** Runs the program on a kernel call's x, dy and attributes (DpConv2DSqNorms and DpConv2DPerSampleGrads). */
export function runConv2DSampleProgram(
  output: Conv2DSampleOutput,
  { inputs, backend, attrs }: Parameters<tf.KernelFunc>[0],
): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { kernelSize, stride, padTop, padLeft } = attrs as unknown as DpConv2DSqNormsAttrs;
  const p = kernelSize * kernelSize * x.shape[3];
  const cout = dy.shape[3];
  const blocks = Math.ceil(p / 4) * Math.ceil(cout / 4);
  return runProgram(
    backend,
    new Conv2DSqNormsProgram(x.shape[0], blocks, output, p * cout + cout),
    [x, dy],
    [
      { type: 'int32', data: [kernelSize] },
      { type: 'int32', data: [stride] },
      { type: 'int32', data: [padTop] },
      { type: 'int32', data: [padLeft] },
    ],
  );
}

export const conv2dSqNormsWebGpuConfig: tf.KernelConfig = {
  kernelName: DpConv2DSqNorms,
  backendName: 'webgpu',
  kernelFunc: (args) => runConv2DSampleProgram('sqNorms', args),
};
