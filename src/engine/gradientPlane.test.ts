import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveClipPlan } from '../clipping/plan';
import type { GradientPlane } from '../domain/gradientPlane';
import { planDpStep } from '../dp/stepPlan';
import type { EventBody } from '../protocol/messages';
import { loadSplit } from './datasets';
import { planeOfStep } from './planeOfStep';
import { RunController } from './runController';
import { noMnist, smallPrivateConfig } from './testing';
import { TrainingRun } from './trainingRun';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const planesOf = (events: EventBody[]): GradientPlane[] => events.flatMap((e) => (e.type === 'gradientPlane' ? [e.plane] : []));

async function controller(config = smallPrivateConfig()) {
  const events: EventBody[] = [];
  const ctl = new RunController('r1', config, await loadSplit(config.data, config.seed, noMnist), (e) => events.push(e));
  return { ctl, events };
}

describe('gradient plane in the run controller', () => {
  it('an inspected step sends the plane of its own batch; plain steps send none', async () => {
    const config = smallPrivateConfig({ clipping: 'abadi', maxGradNorm: 0.1 });
    const { ctl, events } = await controller(config);
    await ctl.stepOnce();
    expect(planesOf(events)).toHaveLength(0);
    await ctl.stepOnce(true);
    const [plane] = planesOf(events);
    const inspection = events.find((e) => e.type === 'inspection');
    if (inspection?.type !== 'inspection') throw new Error('no inspection');
    expect(plane.step).toBe(2);
    expect(Array.from(plane.labels)).toEqual(Array.from(inspection.inspection.labels));
    expect(plane.raw).toHaveLength(2 * plane.labels.length);
    expect(plane.circleRadius).toBe(0.1);
    expect(plane.clipping).toBe('abadi');
    expect(plane.thumbnails).toBeNull();
    // Abadi at R = 0.1: every clipped arrow is inside the circle (the projection only shortens).
    for (let i = 0; i < plane.labels.length; i++)
      expect(Math.hypot(plane.clipped[2 * i], plane.clipped[2 * i + 1])).toBeLessThanOrEqual(0.1 * (1 + 1e-5));
    expect(plane.divisor).toBe(32);
    await ctl.dispose();
  });

  it('refreshes live at once, then every N steps while training, and only then', async () => {
    const { ctl, events } = await controller();
    ctl.setPlaneRefresh(3);
    ctl.start();
    while (events.filter((e) => e.type === 'metrics').length < 7) await new Promise((r) => setTimeout(r, 5));
    ctl.pause();
    await ctl.settled();
    const steps = planesOf(events).map((p) => p.step);
    // The first step after turning the refresh on draws the picture (a lesson's run shows its batch at step 1).
    expect(steps.slice(0, 3)).toEqual([1, 3, 6]);
    expect(steps.slice(1).every((s) => s % 3 === 0)).toBe(true);
    ctl.setPlaneRefresh(0);
    const before = steps.length;
    await ctl.stepOnce();
    await ctl.stepOnce();
    await ctl.stepOnce();
    expect(planesOf(events)).toHaveLength(before);
    await ctl.dispose();
  });

  it('refuses a bad refresh interval, naming the field, and keeps the old one', async () => {
    const { ctl } = await controller();
    expect(() => ctl.setPlaneRefresh(-1)).toThrow(/planeLive\.every must be an integer from 0 \(off\) to 10000, got -1/);
    expect(() => ctl.setPlaneRefresh(2.5)).toThrow(/planeLive\.every/);
    await ctl.dispose();
  });

  it('a non-private run: no circle, the update is the mean over the real rows', async () => {
    const c = smallPrivateConfig();
    const { ctl, events } = await controller({ ...c, privacy: { ...c.privacy, enabled: false } });
    await ctl.stepOnce(true);
    const [plane] = planesOf(events);
    expect(plane.circleRadius).toBeNull();
    expect(plane.noiseRadius).toBe(0);
    expect(plane.divisor).toBe(plane.labels.length);
    expect(Array.from(plane.scales).every((s) => Math.abs(s - 1) < 1e-6)).toBe(true);
    await ctl.dispose();
  });
});

describe('planeOfStep', () => {
  it('drops padded rows and gives image rows 8-bit thumbnails scaled to their own range', () => {
    // Two 2×2 one-channel images (rows 0 and 1 of the set); the batch holds row 1, padding, row 0.
    const train = {
      name: 't',
      source: 'synthetic',
      x: Float32Array.from([0, 0.5, 1, 0.25, 2, 2, 4, 6]),
      y: Int32Array.from([3, 7]),
      inputShape: [2, 2, 1],
      numClasses: 8,
    };
    const grams = Float32Array.from([4, 0, 1, 0, 0, 0, 1, 0, 1]);
    const plan = planDpStep({ clip: resolveClipPlan({ clipping: 'auto-s' }), expectedBatchSize: 2 });
    const plane = planeOfStep(
      5,
      { grams, layers: 1, rows: 3, factors: Float32Array.from([0.5, 0, 1]) },
      Float32Array.from([1, 0, 1]),
      Int32Array.from([1, 0, 0]),
      plan,
      train as never,
    );
    expect(Array.from(plane.labels)).toEqual([7, 3]);
    expect(plane.circleRadius).toBe(1);
    expect(plane.thumbnails).toEqual({ width: 2, height: 2, pixels: Uint8Array.from([0, 0, 128, 255, 0, 128, 255, 64]) });
  });
});

/** The kernels a step runs (name and input shapes, in order) and the memory it allocates. */
async function stepWork(run: TrainingRun): Promise<{ kernels: string[]; newBytes: number; newTensors: number }> {
  const info = await tf.profile(async () => {
    await run.trainStep();
    return [];
  });
  return {
    kernels: info.kernels.map((k) => `${k.name} ${JSON.stringify(k.inputShapes)}`),
    newBytes: info.newBytes,
    newTensors: info.newTensors,
  };
}

describe('the gradient plane costs the steps that do not show it nothing', () => {
  // Time on a shared machine cannot show it (bench/planeSteps.ts measures it, docs/PERFORMANCE.md); the work can:
  // with the view refreshing every 3 steps, the steps between refreshes run the very kernels, on the same shapes
  // and allocating the same memory, as the same steps of a run with the view off.
  for (const dpPath of ['ops', 'kernels'] as const) {
    it(`${dpPath} path: a step between refreshes runs exactly the kernels of the same step with the view off`, async () => {
      const base = smallPrivateConfig();
      const config = { ...base, engine: { ...base.engine, dpPath } };
      const split = await loadSplit(config.data, config.seed, noMnist);
      const off = TrainingRun.create(config, split);
      const on = TrainingRun.create(config, split);
      try {
        for (let s = 1; s <= 3; s++) {
          await off.trainStep();
          const r = await on.trainStep({ plane: s === 3 });
          expect(r.plane === undefined, `step ${s}`).toBe(s !== 3);
        }
        for (let s = 4; s <= 5; s++) {
          const [a, b] = [await stepWork(off), await stepWork(on)];
          expect(a.kernels.length, `step ${s}`).toBeGreaterThan(10);
          expect(b, `step ${s}`).toEqual(a);
        }
      } finally {
        off.dispose();
        on.dispose();
      }
    });
  }
});
