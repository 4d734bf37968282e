import * as tf from '@tensorflow/tfjs';
import { caveatSentences } from '../config/privacyCaveats';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRunConfig, type RunConfig } from '../config/runConfig';
import { exportRunsJson, importRunsJson } from '../persistence/exchange';
import { sampleMetaInput, sampleSummary } from '../persistence/testing';
import type { RunCheckpoint } from '../domain/checkpoint';
import { loadSplit } from './datasets';
import { planPrivacy } from './privacyPlan';
import { noMnist } from './testing';
import { TrainingRun } from './trainingRun';

/**
 * Audit finding (docs/PRIVACY.md): the Poisson sampler was seeded from config.seed even with secure randomness on.
 * The seed travels in the URL and run.json, so anyone with the link could recompute which steps
 * used a given record, and the amplification by subsampling the accountant assumes did not hold.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function config(privacy: Partial<RunConfig['privacy']>): RunConfig {
  const c = defaultRunConfig();
  return {
    ...c,
    seed: 42,
    data: { source: 'synthetic', name: 'blobs', n: 400, noise: 0.05, testFraction: 0.25 },
    model: { preset: 'logistic' },
    train: { ...c.train, batchSize: 30, epochs: 2, evalEvery: 100 },
    privacy: { ...c.privacy, noise: { mode: 'sigma', sigma: 1 }, accountant: 'rdp', ...privacy },
  };
}

/** The real rows of the next `steps` batches, as step-through mode reports them. */
async function batches(run: TrainingRun, steps: number): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) out.push(Array.from((await run.trainStep({ inspect: true })).inspection!.indices));
  return out;
}

async function create(c: RunConfig, checkpoint?: RunCheckpoint): Promise<TrainingRun> {
  return TrainingRun.create(c, await loadSplit(c.data, c.seed, noMnist), checkpoint);
}

/** A checkpoint as it leaves the app: through the runs export file and back. */
function throughExport(c: RunConfig, checkpoint: RunCheckpoint): RunCheckpoint {
  // The metadata says what the run really is (σ, a 300-example training set): an import checks the history against it.
  const dataset = { name: 'Blobs', source: 'synthetic', trainSize: 300, testSize: 100, inputShape: [2], numClasses: 2 };
  const run = {
    meta: { ...sampleMetaInput('run-1', { summary: sampleSummary(c, dataset, 1) }), config: c, createdAt: 1, updatedAt: 2 },
    metrics: [],
    checkpoint: { runId: 'run-1', step: checkpoint.step, savedAt: 3, payload: checkpoint },
  };
  return importRunsJson(exportRunsJson([run])).runs[0].checkpoint!.payload;
}

describe('batch sampling and the public seed', () => {
  for (const sampling of ['poisson', 'shuffle'] as const) {
    it(`secure randomness (${sampling}): two runs of the same config (same seed) draw different batches`, async () => {
      const c = config({ secureNoise: true, sampling });
      const [a, b] = [await create(c), await create(c)];
      const [ba, bb] = [await batches(a, 4), await batches(b, 4)];
      // 30 of 300 examples: two independent draws coincide with probability far below 1e-30.
      expect(ba).not.toEqual(bb);
      for (let i = 0; i < 4; i++) expect(ba[i]).not.toEqual(bb[i]);
      a.dispose();
      b.dispose();
    });

    it(`secure randomness (${sampling}): nothing in the exported checkpoint lets anyone recompute or predict the batches`, async () => {
      const c = config({ secureNoise: true, sampling });
      const run = await create(c);
      await batches(run, 3);
      const saved = await run.checkpoint();
      expect(saved.samplerSeed).toBeNull();
      const exported = throughExport(c, saved);
      expect(exported.samplerSeed).toBeNull();
      // Two resumptions from the same exported checkpoint continue with different batches: the file
      // (config and seed included) does not determine them.
      const [r1, r2] = [await create(c, exported), await create(c, exported)];
      const [n1, n2] = [await batches(r1, 3), await batches(r2, 3)];
      for (let i = 0; i < 3; i++) expect(n1[i]).not.toEqual(n2[i]);
      for (const r of [run, r1, r2]) r.dispose();
    });

    it(`secure randomness (${sampling}): a checkpoint saved before secure sampling (seed-derived state) is ignored, fresh batches follow`, async () => {
      const c = config({ secureNoise: true, sampling });
      const seededRun = await create(config({ secureNoise: false, sampling }));
      await batches(seededRun, 2);
      const old = await seededRun.checkpoint(); // what older versions saved for every run
      expect(old.samplerSeed).toEqual(expect.any(Number));
      const [r1, r2] = [await create(c, old), await create(c, old)];
      const [n1, n2] = [await batches(r1, 3), await batches(r2, 3)];
      for (let i = 0; i < 3; i++) expect(n1[i]).not.toEqual(n2[i]);
      expect(await batches(seededRun, 3)).not.toEqual(n1);
      for (const r of [seededRun, r1, r2]) r.dispose();
    });

    it(`seeded randomness (${sampling}): the same seed gives the same batches, and a checkpoint resumes them exactly`, async () => {
      const c = config({ secureNoise: false, sampling });
      const [a, b] = [await create(c), await create(c)];
      const first = await batches(a, 3);
      expect(await batches(b, 3)).toEqual(first);
      const saved = throughExport(c, await a.checkpoint());
      expect(saved.samplerSeed).toEqual(expect.any(Number));
      const resumed = await create(c, saved);
      expect(await batches(resumed, 4)).toEqual(await batches(a, 4));
      for (const r of [a, b, resumed]) r.dispose();
    });
  }

  it('the plan says which randomness a private run uses; seeded runs are labelled as not private against the seed', () => {
    const secure = planPrivacy(config({ secureNoise: true }), 300);
    const seeded = planPrivacy(config({ secureNoise: false }), 300);
    expect(secure.secureRandomness).toBe(true);
    expect(secure.notes.join(' ')).not.toMatch(/seed/i);
    expect(secure.caveats.seededRandomness).toBe(false);
    expect(seeded.secureRandomness).toBe(false);
    expect(seeded.caveats.seededRandomness).toBe(true);
    expect(caveatSentences(seeded.caveats).join(' ')).toMatch(/follow the run seed.*not private against anyone who knows the seed/);
    // A non-private run has no guarantee to protect: it stays reproducible from the seed.
    expect(planPrivacy(config({ enabled: false, secureNoise: true }), 300).secureRandomness).toBe(false);
  });
});
