import * as tf from '@tensorflow/tfjs';
import { resolveClipPlan } from '../../src/clipping/plan';
import type { PlaneGeometry } from '../../src/domain/gradientPlane';
import { gradientPlane } from '../../src/dp/gradientPlane';
import { computeGradients, gradientTensors } from '../../src/dp/step';
import { planDpStep } from '../../src/dp/stepPlan';
import { normRelErr } from '../../src/kernels/testing/cases';
import { buildModel } from '../../src/model/build';
import { cnnBatch, onBackend } from './checks';

/** The gradient plane of one CNN batch (Abadi R = 0.1, padded rows included) by one implementation on the active backend. */
async function planeOf(implementation: 'ops' | 'kernels', batch: number): Promise<PlaneGeometry> {
  const model = buildModel({ preset: 'cnn', activation: 'tanh' }, [28, 28, 1], 10, 6);
  const { x, labels, mask } = cnnBatch(batch, 42);
  const plan = planDpStep({ clip: resolveClipPlan({ clipping: 'abadi', maxGradNorm: 0.1 }), expectedBatchSize: batch, implementation });
  const r = await computeGradients(model, x, labels, mask, plan, { gram: true });
  const maskValues = (await mask.data()) as Float32Array;
  tf.dispose([r.loss, ...gradientTensors(r.gradient), x, labels, mask]);
  model.dispose();
  return gradientPlane({ ...r.gram!, mask: maskValues, style: 'flat', noiseStd: 0, expectedBatchSize: batch });
}

/** Normwise relative errors of a plane's coordinates against a reference plane, each axis' sign aligned first. */
function planeErrors(p: PlaneGeometry, ref: PlaneGeometry): number {
  const signs = [0, 1].map((a) => {
    let dot = 0;
    for (let i = a; i < ref.raw.length; i += 2) dot += ref.raw[i] * p.raw[i];
    return dot < 0 ? -1 : 1;
  });
  const aligned = (xy: Float32Array) => Float32Array.from(xy, (v, k) => v * signs[k % 2]);
  return Math.max(
    normRelErr(aligned(p.raw), ref.raw),
    normRelErr(aligned(p.clipped), ref.clipped),
    normRelErr(aligned(Float32Array.from(p.clippedSum)), Float32Array.from(ref.clippedSum)),
    normRelErr(p.captured, ref.captured),
    normRelErr(p.norms, ref.norms),
  );
}

/**
 * The same CNN batch's gradient plane on WebGPU (ops path and kernel path) and on the CPU backend:
 * the largest normwise relative error of coordinates, clipped coordinates, sum, captured shares and
 * norms against the CPU.
 */
export async function planeAcrossBackends(
  batch = 8,
): Promise<{ opsGpuVsCpu: number; kernelsGpuVsCpu: number; realRows: number; share: number }> {
  const opsGpu = await planeOf('ops', batch);
  const kerGpu = await planeOf('kernels', batch);
  const cpu = await onBackend('cpu', () => planeOf('ops', batch));
  return {
    opsGpuVsCpu: planeErrors(opsGpu, cpu),
    kernelsGpuVsCpu: planeErrors(kerGpu, cpu),
    realRows: cpu.norms.length,
    share: cpu.batchShare,
  };
}
