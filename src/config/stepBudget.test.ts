import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../testing/tempDir';
import { main } from '../../cli/main';
import { smallRunConfig } from '../../cli/fixtures';
import type { DatasetSplit } from '../data/types';
import { TrainingRun } from '../engine/trainingRun';
import { buildModel } from '../model/build';
import { PROTOCOL_VERSION } from '../protocol/messages';
import { createPlaygroundStore } from '../store/playgroundStore';
import { selectDraftProblems } from '../store/selectors';
import { defaultRunConfig, mnistDefaults, parseRunConfig, syntheticDefaults, SYNTHETIC_SETS, type RunConfig } from './runConfig';
import { MAX_BATCH_SIZE, MAX_PARAMETERS, MAX_STEP_MULTIPLY_ADDS, modelCost, type CostedModel } from './stepBudget';
import { parseSweepConfig } from './sweepConfig';
import { decodeUrlState } from './urlCodec';

/**
 * Audit finding (docs/PRIVACY.md): an 8 × 4096 MLP or an unbounded batch size was accepted from a URL and then
 * ran for minutes with gigabytes. Model size and work per step are capped to what a browser step
 * can do, and every entry point refuses the same configs with the same message.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const HUGE_MLP = { preset: 'mlp' as const, hidden: Array<number>(8).fill(4096), activation: 'relu' as const };
const withModel = (model: RunConfig['model'], batchSize = 256): RunConfig => ({
  ...defaultRunConfig(),
  model,
  train: { ...defaultRunConfig().train, batchSize },
});
const errors = (c: unknown) => {
  const r = parseRunConfig(c);
  return r.ok ? [] : r.errors;
};

describe('modelCost', () => {
  it('counts the MNIST CNN layer by layer as docs/ARCHITECTURE.md gives its shapes (14×14×16 → 13×13×16 → 5×5×32 → 4×4×32 → 512 → 32 → 10)', () => {
    expect(modelCost({ preset: 'cnn' }, [28, 28, 1], 10)).toEqual({
      parameters: 8 * 8 * 16 + 16 + (4 * 4 * 16 * 32 + 32) + (512 * 32 + 32) + (32 * 10 + 10),
      multiplyAdds: 14 * 14 * 64 * 16 + 5 * 5 * 256 * 32 + 512 * 32 + 32 * 10,
    });
    expect(modelCost({ preset: 'cnn' }, [2], 2)).toBeNull();
    expect(modelCost({ preset: 'cnn' }, [6, 6, 1], 2)).toBeNull();
  });

  it.each<[CostedModel, number[], number]>([
    [{ preset: 'logistic' }, [28, 28, 1], 10],
    [{ preset: 'mlp', hidden: [128] }, [28, 28, 1], 10],
    [{ preset: 'mlp', hidden: [7, 33, 5] }, [2], 3],
    [{ preset: 'cnn' }, [28, 28, 1], 10],
    [{ preset: 'cnn' }, [32, 32, 3], 10],
    [{ preset: 'cnn' }, [19, 23, 2], 47],
  ])('%o on %o inputs, %i classes: as many parameters as the built model has', (model, shape, classes) => {
    const spec =
      model.preset === 'mlp'
        ? { preset: 'mlp' as const, hidden: [...model.hidden], activation: 'relu' as const }
        : model.preset === 'cnn'
          ? { preset: 'cnn' as const, activation: 'tanh' as const }
          : model;
    const built = buildModel(spec, shape, classes, 1);
    expect(modelCost(model, shape, classes)!.parameters).toBe(built.params.reduce((n, p) => n + p.size, 0));
    built.dispose();
  });
});

describe('caps on model size and work per step', () => {
  it('the defaults, every preset, and the docs/reproduce configs fit', () => {
    expect(errors(defaultRunConfig())).toEqual([]);
    for (const name of SYNTHETIC_SETS) expect(errors({ ...defaultRunConfig(), ...syntheticDefaults(name) })).toEqual([]);
    expect(errors({ ...defaultRunConfig(), ...mnistDefaults(), model: { preset: 'cnn', activation: 'tanh' } })).toEqual([]);
    const dir = join(__dirname, '../../docs/reproduce');
    const configs = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(configs.length).toBeGreaterThan(0);
    for (const f of configs) {
      const r = parseSweepConfig(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      expect(r.ok, `${f}: ${r.ok ? '' : r.errors.join('; ')}`).toBe(true);
    }
  });

  it('refuses the 8 × 4096 MLP, naming the field and saying why', () => {
    const e = errors(withModel(HUGE_MLP, 32));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(
      /^model\.hidden: this model has 120,\d{3},\d{3} parameters for 28×28×1 inputs and 10 classes, over the 4,000,000 a browser run can hold/,
    );
  });

  it('refuses too much work per step (batch × cost per example), saying which batch would fit', () => {
    // MNIST CNN: 422,208 multiply-adds per example → at most 1,184 per step.
    const cnn = { preset: 'cnn' as const, activation: 'tanh' as const };
    expect(errors(withModel(cnn, 1184))).toEqual([]);
    const e = errors(withModel(cnn, 1185));
    expect(e).toEqual([
      expect.stringMatching(
        /^train\.batchSize: 1,185 examples × 422,208 multiply-adds each .* over the 500,000,000 a browser step can afford; use a batch size ≤ 1,184 or a smaller model$/,
      ),
    ]);
    expect(1184 * 422_208).toBeLessThanOrEqual(MAX_STEP_MULTIPLY_ADDS);
  });

  it('refuses an unbounded batch size, whatever the model', () => {
    const c = { ...defaultRunConfig(), ...syntheticDefaults('xor'), model: { preset: 'logistic' as const } };
    expect(errors({ ...c, train: { ...c.train, batchSize: MAX_BATCH_SIZE } })).toEqual([]);
    expect(errors({ ...c, train: { ...c.train, batchSize: 100_000 } })).toEqual([
      `train.batchSize must be ≤ ${MAX_BATCH_SIZE} (the largest batch a browser step handles)`,
    ]);
  });

  it('the URL refuses them the same way', () => {
    const huge = decodeUrlState(`#hidden=${HUGE_MLP.hidden.join(',')}&batch=32`);
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(huge.errors.join()).toMatch(/model\.hidden: this model has 120,\d{3},\d{3} parameters/);
    const batch = decodeUrlState('#batch=1000000');
    expect(batch.ok).toBe(false);
    if (!batch.ok) expect(batch.errors.join()).toContain(`train.batchSize must be ≤ ${MAX_BATCH_SIZE}`);
  });

  const emptyDir = tempDirs('autoclip-budget');
  it('the CLI refuses them (exit 2, the field named) before training', async () => {
    const dir = emptyDir();
    const file = join(dir, 'run.json');
    writeFileSync(file, JSON.stringify({ ...smallRunConfig(), model: { preset: 'mlp', hidden: [4096, 4096], activation: 'relu' } }));
    const err: string[] = [];
    const code = await main(['train', '--config', file], { out: () => undefined, err: (l) => err.push(l) });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(
      /^autoclip train: invalid config: model\.hidden: this model has 16,\d{3},\d{3} parameters for 2 inputs and 2 classes/,
    );
  });

  describe('imported data (shape known once loaded)', () => {
    // 64×64×3 images in 10 classes: the MLP below has 12,288·512 + … ≈ 6.3 million parameters.
    const meta = { name: 'big images', source: 'idx', trainSize: 1000, testSize: 100, inputShape: [64, 64, 3], numClasses: 10 };
    const imported = (model: RunConfig['model'], batchSize = 64): RunConfig => ({
      ...withModel(model, batchSize),
      data: { source: 'imported', id: 'imp-1', name: meta.name },
    });
    const wide = { preset: 'mlp' as const, hidden: [512], activation: 'relu' as const };

    it('the schema cannot know their shape, so the controls check the draft against it', () => {
      expect(errors(imported(wide))).toEqual([]);
      const store = createPlaygroundStore({ send: () => undefined }, defaultRunConfig());
      store
        .getState()
        .applyEvents([{ v: PROTOCOL_VERSION, type: 'datasetImported', importId: 'imp-1', dataset: meta, format: 'idx', notes: [] }]);
      store.getState().setDraft((c) => ({ ...c, model: wide }));
      expect(selectDraftProblems(store.getState())).toEqual([
        expect.stringMatching(/^model\.hidden: this model has 6,\d{3},\d{3} parameters for 64×64×3 inputs and 10 classes/),
      ]);
      store.getState().setDraft((c) => ({ ...c, model: { preset: 'logistic' } }));
      expect(selectDraftProblems(store.getState())).toEqual([]);
    });

    it('the engine refuses them before allocating anything, with the same message', () => {
      const d = meta.inputShape.reduce((a, b) => a * b, 1);
      const set = (n: number) => ({
        name: 'big',
        source: 'test',
        inputShape: meta.inputShape,
        numClasses: 10,
        x: new Float32Array(n * d),
        y: Int32Array.from({ length: n }, (_, i) => i % 10),
      });
      const split: DatasetSplit = { train: set(200), test: set(20) };
      const before = tf.memory().numTensors;
      expect(() => TrainingRun.create(imported(wide), split)).toThrow(/^model\.hidden: this model has 6,\d{3},\d{3} parameters/);
      // Logistic regression: 122,890 parameters, 122,880 multiply-adds per example → at most 4,069 a step.
      expect(() => TrainingRun.create(imported({ preset: 'logistic' }, 4096), { train: set(5000), test: set(20) })).toThrow(
        /^train\.batchSize: 4,096 examples × 122,880 multiply-adds each .* use a batch size ≤ 4,069/,
      );
      expect(tf.memory().numTensors).toBe(before);
      expect(122_890).toBeLessThanOrEqual(MAX_PARAMETERS);
    });
  });
});
