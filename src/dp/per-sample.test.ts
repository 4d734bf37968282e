import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, LayerStack } from '../model/build';
import { Conv2D } from '../model/layers/conv2d';
import type { Layer } from '../model/layers/layer';
import { SequentialModel } from '../model/sequential';
import type { Model } from '../model/types';
import { disposeDiagnostics as disposeDiag } from './diagnostics';
import { stepTensors } from './testing/step';
import { conv2dSqNorms, convNormMode } from './rules/conv2d';
import { parametricLayers } from './rules/registry';
import { captureTaps, disposeCapture } from './taps';
import { perExampleGradients } from './testing/bruteforce';
import { mulberry32, randInt } from '../random/testing/mulberry32';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const REL_TOL = 1e-5;

/** Brute-force per-layer norms [K][B] (float64 sums of float32 per-example gradients). */
function bruteLayerNorms(model: Model, x: tf.Tensor, labels: tf.Tensor1D): number[][] {
  const per = perExampleGradients(model, x, labels);
  const owners = model.layers.filter((l) => l.params.length > 0);
  const out = owners.map((layer) => {
    const idx = layer.params.map((p) => model.params.indexOf(p));
    return per.map((g) => Math.sqrt(idx.reduce((s, j) => s + Array.from(g[j].dataSync()).reduce((a, v) => a + v * v, 0), 0)));
  });
  tf.dispose(per.flat());
  return out;
}

function expectRel(actual: ArrayLike<number>, expected: number[], what: string): number {
  let worst = 0;
  expected.forEach((e, i) => {
    const rel = Math.abs(actual[i] - e) / Math.max(Math.abs(e), 1e-30);
    worst = Math.max(worst, rel);
    if (!(rel <= REL_TOL)) throw new Error(`${what}[${i}]: got ${actual[i]}, brute force ${e} (relative error ${rel.toExponential(2)})`);
  });
  return worst;
}

/** Random data; labels random ints. */
function batch(model: Model, b: number, seed: number): { x: tf.Tensor; labels: tf.Tensor1D; mask: tf.Tensor1D } {
  const rng = mulberry32(seed);
  return {
    x: tf.randomNormal([b, ...model.inputShape], 0, 1, 'float32', seed),
    labels: tf.tensor1d(
      Array.from({ length: b }, () => randInt(rng, 0, model.numClasses - 1)),
      'int32',
    ),
    mask: tf.ones([b]) as tf.Tensor1D,
  };
}

/** Compares the engine's flat and per-layer norms with brute force; returns the worst relative error. */
function checkModel(model: Model, b: number, seed: number): number {
  const { x, labels, mask } = batch(model, b, seed);
  const ref = bruteLayerNorms(model, x, labels);
  const { loss, grads, diag } = stepTensors(model, x, labels, mask, { clipping: 'none', stats: true });
  const layerNorms = diag!.layerNorms.arraySync() as number[][];
  let worst = 0;
  ref.forEach((r, k) => {
    worst = Math.max(worst, expectRel(layerNorms[k], r, `layer ${diag!.layerNames[k]} norm`));
  });
  const flatRef = ref[0].map((_, i) => Math.sqrt(ref.reduce((s, r) => s + r[i] * r[i], 0)));
  worst = Math.max(worst, expectRel(diag!.flatNorms.dataSync(), flatRef, 'flat norm'));
  disposeDiag(diag);
  tf.dispose([loss, ...grads, x, labels, mask]);
  return worst;
}

describe('per-sample gradient norms vs brute-force per-example tf.grads', () => {
  it('Dense: logistic regression and MLPs with odd sizes, batch 1 and odd batches, every activation', () => {
    const cases: [Model, number][] = [
      [buildModel({ preset: 'logistic' }, [7], 3, 1), 1],
      [buildModel({ preset: 'mlp', hidden: [5], activation: 'tanh' }, [3], 2, 2), 5],
      [buildModel({ preset: 'mlp', hidden: [9, 3], activation: 'relu' }, [2, 3], 4, 3), 7],
      [buildModel({ preset: 'mlp', hidden: [6], activation: 'sigmoid' }, [11], 5, 4), 3],
    ];
    for (const [model, b] of cases) {
      checkModel(model, b, 100 + b);
      model.dispose();
    }
  });

  it('Conv2D over random shapes (stride 1/2, same/valid, C_in/C_out > 1, odd sizes, batch 1), both norm forms', () => {
    const rng = mulberry32(2024);
    const modesSeen = new Set<string>();
    let worst = 0;
    for (let trial = 0; trial < 12; trial++) {
      const k = randInt(rng, 1, 4);
      const padding = rng() < 0.5 ? 'same' : 'valid';
      const stride = randInt(rng, 1, 2);
      const h = randInt(rng, Math.max(k, 2), 9);
      const w = randInt(rng, Math.max(k, 2), 9);
      const cIn = randInt(rng, 1, 3);
      const cOut = randInt(rng, 1, 4);
      const b = [1, 2, 3, 5][trial % 4];
      const s = new LayerStack([h, w, cIn], trial);
      s.conv2d(cOut, k, stride, padding).activation(trial % 2 === 0 ? 'tanh' : 'relu');
      if (trial % 3 === 0) s.avgPool(2, 1, 'same');
      else if (trial % 3 === 1 && s.currentShape[0] >= 2 && s.currentShape[1] >= 2) s.maxPool(2, 1);
      s.flatten().dense(3);
      const model = new SequentialModel({ preset: 'logistic' }, [h, w, cIn], 3, s.layers);
      const shape = `k=${k} s=${stride} ${padding} ${h}x${w}x${cIn}→${cOut} B=${b}`;
      try {
        worst = Math.max(worst, checkModel(model, b, 7 + trial));
      } catch (e) {
        throw new Error(`${shape}: ${(e as Error).message}`, { cause: e });
      }
      // Both the ghost and the instantiated forms against brute force on the same shapes.
      const conv = model.layers[0] as Conv2D;
      modesSeen.add(convNormMode(conv));
      const { x, labels, mask } = batch(model, b, 7 + trial);
      const ref = bruteLayerNorms(model, x, labels)[0];
      const cap = captureTaps(
        model,
        parametricLayers(model.layers).map((e) => e.layer),
        x,
        tf.oneHot(labels, 3).toFloat(),
        mask,
      );
      for (const mode of ['ghost', 'instantiate'] as const) {
        const [wSq, bSq] = conv2dSqNorms(conv, cap.activations[0], cap.backprops[0], mode);
        const norms = tf.sqrt(tf.add(wSq, bSq));
        worst = Math.max(worst, expectRel(norms.dataSync(), ref, `${shape} ${mode}`));
        tf.dispose([wSq, bSq, norms]);
      }
      disposeCapture(cap);
      tf.dispose([x, labels, mask]);
      model.dispose();
    }
    expect(modesSeen.size).toBeGreaterThan(0);
    console.info(`Conv2D random shapes: worst relative norm error ${worst.toExponential(2)}`);
  });

  it('the full CNN preset (28×28×1) at batch 3: per-layer and flat, both conv forms chosen by cost', () => {
    const model = buildModel({ preset: 'cnn', activation: 'tanh' }, [28, 28, 1], 10, 5);
    const convs = model.layers.filter((l): l is Conv2D => l instanceof Conv2D);
    // 14×14 output: 2T² = 76,832 > 64·16 → instantiate; 5×5: 2T² = 1,250 < 256·32 → ghost.
    expect(convs.map(convNormMode)).toEqual(['instantiate', 'ghost']);
    const worst = checkModel(model, 3, 99);
    console.info(`CNN preset: worst relative norm error ${worst.toExponential(2)}`);
    model.dispose();
  });

  it('ignores padded rows: their norms are computed but they get factor 0 and add nothing', () => {
    const model = buildModel({ preset: 'mlp', hidden: [4], activation: 'tanh' }, [3], 3, 8);
    const { x, labels } = batch(model, 4, 5);
    const mask = tf.tensor1d([1, 0, 1, 0]);
    const { loss, grads, diag } = stepTensors(model, x, labels, mask, { clipping: 'auto-s', expectedBatchSize: 1, stats: true });
    const f = diag!.factors.dataSync();
    expect(f[1]).toBe(0);
    expect(f[3]).toBe(0);
    expect(f[0]).toBeGreaterThan(0);
    disposeDiag(diag);
    tf.dispose([loss, ...grads, x, labels, mask]);
    model.dispose();
  });

  it('refuses a model with a parametric layer that has no rule, naming the layer', async () => {
    const model = buildModel({ preset: 'logistic' }, [3], 2, 1);
    const scale = tf.variable(tf.ones([3]));
    const odd: Layer = {
      kind: 'groupnorm' as unknown as Layer['kind'],
      name: 'groupnorm_0',
      params: [scale],
      inputShape: [3],
      outputShape: [3],
      apply: (x) => tf.mul(x, scale),
      dispose: () => scale.dispose(),
    };
    const bad = new SequentialModel(model.spec, [3], 2, [odd, ...model.layers]);
    const x = tf.ones([2, 3]);
    const labels = tf.tensor1d([0, 1], 'int32');
    const mask = tf.ones([2]) as tf.Tensor1D;
    expect(() => stepTensors(bad, x, labels, mask, { clipping: 'auto-s', expectedBatchSize: 2 })).toThrow(
      /layer "groupnorm_0" \(kind "groupnorm"\).*no per-sample gradient rule/,
    );
    tf.dispose([x, labels, mask]);
    bad.dispose();
  });
});
