import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultRunConfig, type RunConfig } from '../config/runConfig';
import * as gradients from '../dp/step';
import { planDpStep, type DpStepPlan, type DpStepSettings } from '../dp/stepPlan';
import { loadSplit } from './datasets';
import { planPrivacy } from './privacyPlan';
import { TrainingRun } from './trainingRun';

/**
 * A private step never runs without its noise (docs/PRIVACY.md, threat model): a private step never runs without its noise. When the DP step left its noise
 * pending and the optimizer could not draw it, training fell through to a plain update with the
 * un-noised, undivided clipped sum.
 */

vi.mock('../dp/step', async (importOriginal) => {
  const real = await importOriginal<typeof gradients>();
  return { ...real, computeGradients: vi.fn(real.computeGradients) };
});
const { computeGradients: realComputeGradients } = await vi.importActual<typeof gradients>('../dp/step');

const noMnist = { mnist: () => Promise.reject(new Error('not used here')) };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function config(train: Partial<RunConfig['train']> = {}, engine: RunConfig['engine'] = { dpPath: 'ops', backend: 'auto' }): RunConfig {
  const c = defaultRunConfig();
  return {
    ...c,
    data: { source: 'synthetic', name: 'blobs', n: 300, noise: 0.05, testFraction: 0.25 },
    model: { preset: 'mlp', hidden: [8], activation: 'tanh' },
    train: { ...c.train, batchSize: 20, epochs: 2, evalEvery: 100, ...train },
    privacy: { ...c.privacy, clipping: 'abadi', maxGradNorm: 0.5, noise: { mode: 'sigma', sigma: 1.5 }, accountant: 'rdp' },
    engine,
  };
}

async function create(c: RunConfig): Promise<TrainingRun> {
  return TrainingRun.create(c, await loadSplit(c.data, c.seed, noMnist));
}

async function params(run: TrainingRun): Promise<number[]> {
  return (await Promise.all(run.model.params.map((p) => p.data()))).flatMap((a) => Array.from(a));
}

/** The next DP step runs with what `tamper` makes of the plan the run passed. */
function nextStepWith(tamper: (plan: DpStepPlan) => DpStepPlan) {
  vi.mocked(gradients.computeGradients).mockImplementationOnce((model, x, labels, mask, opts) =>
    realComputeGradients(model, x, labels, mask, tamper(opts)),
  );
}

/** The run's plan with some settings changed, re-planned as the engine would. */
function replan(p: DpStepPlan, patch: Partial<DpStepSettings>): DpStepPlan {
  const { clip, noiseMultiplier, expectedBatchSize, noise, implementation, fusedUpdate, stats } = p;
  return planDpStep({
    clip,
    noiseMultiplier,
    expectedBatchSize: expectedBatchSize ?? undefined,
    noise: noise ?? undefined,
    implementation,
    fusedUpdate,
    stats,
    ...patch,
  });
}

describe('a private step never runs without its noise', () => {
  it('pending noise that the optimizer cannot add stops the step (no plain update with the raw clipped sum)', async () => {
    const run = await create(config());
    await run.trainStep();
    const before = await params(run);
    // The DP step leaves its noise pending (kernel path, fused update) but the run's optimizer is plain.
    nextStepWith((plan) => replan(plan, { implementation: 'kernels', fusedUpdate: true }));
    await expect(run.trainStep()).rejects.toThrow(/noise is pending.*cannot add it/);
    expect(await params(run)).toEqual(before);
    expect(run.step).toBe(1);
    expect(run.ledger.steps).toBe(1);
    run.dispose();
  });

  it.each([
    ['σ lost on the way (noiseMultiplier omitted)', (p: DpStepPlan) => replan(p, { noiseMultiplier: undefined })],
    ['σ = 0', (p: DpStepPlan) => replan(p, { noiseMultiplier: 0 })],
    ['less noise than planned', (p: DpStepPlan) => replan(p, { noiseMultiplier: 1 })],
  ])('a DP step whose gradient lacks the planned noise is refused: %s', async (_, tamper) => {
    const run = await create(config());
    const before = await params(run);
    nextStepWith(tamper);
    await expect(run.trainStep()).rejects.toThrow(/private step needs noise of std 0\.75/);
    expect(await params(run)).toEqual(before);
    expect(run.step).toBe(0);
    run.dispose();
  });

  it.each([
    ['ops path', config()],
    ['kernel path, fused noise + update (Adam)', config({ optimizer: 'adam' }, { dpPath: 'kernels', backend: 'auto' })],
    [
      'kernel path, noise in the gradient kernel (LAMB has no fused update)',
      config({ optimizer: 'lamb' }, { dpPath: 'kernels', backend: 'auto' }),
    ],
  ])('%s: every step carries the planned noise and trains', async (_, c) => {
    const run = await create(c);
    const before = await params(run);
    for (let i = 0; i < 3; i++) {
      const { stats } = await run.trainStep();
      // σ·R = 0.75 per coordinate: the noise norm is about 0.75·√d, never 0.
      expect(stats!.noiseNorm).toBeGreaterThan(0);
    }
    expect(await params(run)).not.toEqual(before);
    expect(run.step).toBe(3);
    run.dispose();
  });

  it('a private plan refuses σ = 0 even from a config that skipped validation', () => {
    const c = config();
    expect(() => planPrivacy({ ...c, privacy: { ...c.privacy, noise: { mode: 'sigma', sigma: 0 } } }, 225)).toThrow(
      /must be a finite number > 0/,
    );
  });
});
