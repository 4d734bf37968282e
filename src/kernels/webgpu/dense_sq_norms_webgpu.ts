import type * as tf from '@tensorflow/tfjs';
import { DpDenseSqNorms } from '../kernel_names';
import { runProgram, WORKGROUP_INDEX, type Program } from './program';

const WG = 64;

/**
 * One workgroup per sample row i: its 64 threads stride over the row of A and of G accumulating
 * ‖a_i‖² and ‖g_i‖², a tree reduction in workgroup memory combines them, and thread 0 writes
 * (‖a_i‖² + 1)·‖g_i‖² — weight and bias norms in one read of each input.
 */
export class DenseSqNormsProgram implements Program {
  variableNames = ['a', 'g'];
  outputShape: number[];
  workgroupSize: [number, number, number] = [WG, 1, 1];
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  shaderKey = `dpDenseSqNorms_${WG}`;

  constructor(batch: number) {
    this.outputShape = [batch];
    this.dispatch = [batch, 1, 1];
  }

  getUserCode(): string {
    return `
      var<workgroup> partA : array<f32, ${WG}>;
      var<workgroup> partG : array<f32, ${WG}>;
      fn main(index : i32) {
        let row = ${WORKGROUP_INDEX};
        let lid = i32(localIndex);
        let live = row < uniforms.aShape.x;
        let din = uniforms.aShape.y;
        let dout = uniforms.gShape.y;
        var sa = 0.0;
        var sg = 0.0;
        if (live) {
          for (var j = lid; j < din; j = j + ${WG}) { let v = a[row * din + j]; sa = sa + v * v; }
          for (var j = lid; j < dout; j = j + ${WG}) { let v = g[row * dout + j]; sg = sg + v * v; }
        }
        partA[lid] = sa;
        partG[lid] = sg;
        workgroupBarrier();
        for (var s = ${WG / 2}; s > 0; s = s / 2) {
          if (lid < s) {
            partA[lid] = partA[lid] + partA[lid + s];
            partG[lid] = partG[lid] + partG[lid + s];
          }
          workgroupBarrier();
        }
        if (lid == 0 && live) { result[row] = (partA[0] + 1.0) * partG[0]; }
      }
    `;
  }
}

export const denseSqNormsWebGpuConfig: tf.KernelConfig = {
  kernelName: DpDenseSqNorms,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend }) => {
    const { a, g } = inputs as { a: tf.TensorInfo; g: tf.TensorInfo };
    return runProgram(backend, new DenseSqNormsProgram(a.shape[0]), [a, g]);
  },
};
