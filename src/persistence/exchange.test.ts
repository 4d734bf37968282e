import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../config/runConfig';
import type { MetricPoint } from '../domain/metricPoint';
import { base64ToBytes, base64ToFloat32, bytesToBase64, float32ToBase64 } from './base64';
import {
  MAX_IMPORT_CHARS,
  MAX_IMPORT_RUNS,
  METRICS_CSV_COLUMNS,
  RunsImportError,
  exportRunsJson,
  importRunsJson,
  metricsCsv,
} from './exchange';
import { RUN_V1_PRIVATE_SUMMARY, runsV1Text } from './fixtures/runsV1';
import { AWKWARD_FLOATS, sameBits, samplePoint, sampleRun, sampleSummary } from './testing';
import type { StoredRun } from './types';

const EXPORTED_AT = new Date('2026-11-23T12:00:00.000Z');

function sampleRuns(): StoredRun[] {
  const a = sampleRun('run-a', 300);
  const b = sampleRun('run-b', 4, false);
  const summary = b.meta.summary!;
  b.meta = {
    ...b.meta,
    state: 'error',
    message: 'Training diverged at step 4: the loss became NaN.',
    summary: { ...summary, sigma: null, privacy: { ...summary.privacy, projectedEpsilon: Infinity } },
  };
  b.metrics[2] = { ...b.metrics[2], loss: Infinity };
  b.metrics[3] = { ...b.metrics[3], loss: NaN, testLoss: -Infinity };
  return [a, b];
}

function importErrors(text: string): string[] {
  try {
    importRunsJson(text);
  } catch (e) {
    expect(e).toBeInstanceOf(RunsImportError);
    return (e as RunsImportError).errors;
  }
  throw new Error('the import was accepted');
}

describe('exportRunsJson / importRunsJson', () => {
  it('round-trips runs exactly: metadata, metrics (NaN and Infinity too) and checkpoint bits', () => {
    const runs = sampleRuns();
    const text = exportRunsJson(runs, EXPORTED_AT);
    const { runs: back } = importRunsJson(text);
    expect(back.map((r) => r.meta)).toEqual(runs.map((r) => r.meta));
    expect(back.map((r) => r.metrics)).toEqual(runs.map((r) => r.metrics));
    expect(Number.isNaN(back[1].metrics[3].loss)).toBe(true);
    expect(back[1].metrics[2].loss).toBe(Infinity);
    expect(back[1].checkpoint).toBeUndefined();
    const ck = back[0].checkpoint!;
    const orig = runs[0].checkpoint!;
    expect({ ...ck, payload: { ...ck.payload, params: [], optimizer: { ...ck.payload.optimizer, slots: [] } } }).toEqual({
      ...orig,
      payload: { ...orig.payload, params: [], optimizer: { ...orig.payload.optimizer, slots: [] } },
    });
    ck.payload.params.forEach((p, i) => {
      expect(p.shape).toEqual(orig.payload.params[i].shape);
      expect(sameBits(p.values, orig.payload.params[i].values)).toBe(true);
    });
    ck.payload.optimizer.slots.forEach((s, i) => expect(sameBits(s.values, orig.payload.optimizer.slots[i].values)).toBe(true));
    // Exporting the imported runs writes the very same file.
    expect(exportRunsJson(back, EXPORTED_AT)).toBe(text);
  });

  it('keeps a run’s learning-rate changes (its schedule), in the documented place', () => {
    const runs = sampleRuns();
    runs[0].meta.lrChanges = [
      { fromStep: 31, lr: 0.05 },
      { fromStep: 120, lr: 0.2 },
    ];
    const text = exportRunsJson(runs, EXPORTED_AT);
    expect(JSON.parse(text).runs[0].lrChanges).toEqual([
      { fromStep: 31, lr: 0.05 },
      { fromStep: 120, lr: 0.2 },
    ]);
    const { runs: back } = importRunsJson(text);
    expect(back[0].meta.lrChanges).toEqual(runs[0].meta.lrChanges);
    expect(back[1].meta.lrChanges).toBeUndefined();
  });

  it('writes the documented envelope, base64 tensors and non-finite numbers as strings', () => {
    const run = sampleRun('run-e', 2);
    run.checkpoint!.payload.params = [{ shape: [2], values: new Float32Array([1, -2]) }];
    run.checkpoint!.payload.optimizer.slots = [];
    run.metrics[1] = { ...run.metrics[1], loss: NaN };
    const json = JSON.parse(exportRunsJson([run], EXPORTED_AT));
    expect(Object.keys(json)).toEqual(['format', 'version', 'exportedAt', 'runs']);
    expect([json.format, json.version, json.exportedAt]).toEqual(['autoclip-runs', 2, '2026-11-23T12:00:00.000Z']);
    expect(json.runs[0].id).toBe('run-e');
    expect(json.runs[0].config.train.learningRate).toBe(run.meta.config.train.learningRate);
    expect(json.runs[0].metrics[1].loss).toBe('NaN');
    // 1 and -2 as little-endian float32: 00 00 80 3f, 00 00 00 c0.
    expect(json.runs[0].checkpoint.payload.params[0]).toEqual({ shape: [2], values: 'AACAPwAAAMA=' });
    expect(json.runs[0].checkpoint.runId).toBeUndefined();
    expect(json.runs[0].released).toEqual([{ q: 0.032, sigma: 0.8731, steps: 5 }]);
  });

  it('shuffled batches reported as if Poisson: each exported run carries the caveat flags of its config', () => {
    const run = sampleRun('run-s', 2);
    // Each run as the engine announced it: its summary follows from its config.
    const withConfig = (config: RunConfig) => ({ ...run, meta: { ...run.meta, config, summary: sampleSummary(config) } });
    const shuffled = withConfig({ ...run.meta.config, privacy: { ...run.meta.config.privacy, sampling: 'shuffle' } });
    const seeded = withConfig({ ...run.meta.config, privacy: { ...run.meta.config.privacy, secureNoise: false } });
    const json = JSON.parse(
      exportRunsJson(
        [run, shuffled, seeded].map((r, i) => ({ ...r, meta: { ...r.meta, id: `run-${i}` } })),
        EXPORTED_AT,
      ),
    );
    const flags = (r: { summary: { privacy: Record<string, unknown> } }) => [
      r.summary.privacy.notCoveredByAccountant,
      r.summary.privacy.seededRandomness,
    ];
    expect(json.runs.map(flags)).toEqual([
      [false, false],
      [true, false],
      [false, true],
    ]);
    // The flags come from the config: importing gives the runs back as they were.
    expect(importRunsJson(JSON.stringify(json)).runs.map((r) => r.meta.config.privacy.sampling)).toEqual(['poisson', 'shuffle', 'poisson']);
  });

  describe('version 1 files (exported before runs carried a summary)', () => {
    it('still import: the loose fields become the summary, with the facts the config gives', () => {
      const { runs } = importRunsJson(runsV1Text());
      expect(runs.map((r) => r.meta.id)).toEqual(['run-v1-private', 'run-v1-plain', 'run-v1-new']);
      const [priv, plain, fresh] = runs;
      expect(priv.meta.summary).toEqual(RUN_V1_PRIVATE_SUMMARY);
      expect(priv.meta.released).toEqual([{ q: 0.032, sigma: 0.8731, steps: 12 }]);
      expect(priv.metrics.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(sameBits(priv.checkpoint!.payload.params[0].values, new Float32Array([1, -2, 0.5, NaN]))).toBe(true);
      expect(plain.meta).toMatchObject({ state: 'error', message: 'Training diverged at step 4: the loss became NaN.' });
      expect(plain.meta.summary).toMatchObject({ sigma: null, privacy: { enabled: false, projectedEpsilon: null, notes: [] } });
      expect(Number.isNaN(plain.metrics[3].loss)).toBe(true);
      expect(fresh.meta.summary).toBeNull();
      for (const r of runs) expect(Object.keys(r.meta)).not.toContain('sigma');
    });

    it('export again as version 2, which reads back the same', () => {
      const { runs } = importRunsJson(runsV1Text());
      const text = exportRunsJson(runs, EXPORTED_AT);
      expect(JSON.parse(text).version).toBe(2);
      expect(importRunsJson(text).runs.map((r) => r.meta)).toEqual(runs.map((r) => r.meta));
    });

    it('are refused when their caveat flags or σ contradict the config, naming the version 1 field', () => {
      const edit = (f: (j: { runs: Record<string, unknown>[] }) => void) => {
        const j = JSON.parse(runsV1Text());
        f(j);
        return JSON.stringify(j);
      };
      expect(importErrors(edit((j) => (j.runs[0].notCoveredByAccountant = true)))).toEqual([
        "runs[0].notCoveredByAccountant: is true, but the run's config.privacy makes it false",
      ]);
      expect(importErrors(edit((j) => (j.runs[0].released = [{ q: 0.032, sigma: 5, steps: 12 }])))).toEqual([
        "runs[0].released[0].sigma: noise multiplier 5 differs from the run's σ = 0.8731",
      ]);
    });
  });

  // Each case corrupts a valid export and names the one message it must produce.
  const valid = () => JSON.parse(exportRunsJson(sampleRuns(), EXPORTED_AT));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test mutates arbitrary JSON paths
  const mutate = (f: (j: any) => unknown) => {
    const j = valid();
    f(j);
    return JSON.stringify(j);
  };
  const badImports: { name: string; text: () => string; error: string | RegExp }[] = [
    {
      name: 'a learning-rate change to 0',
      text: () => mutate((j) => (j.runs[0].lrChanges = [{ fromStep: 3, lr: 0 }])),
      error: 'runs[0].lrChanges[0].lr: Learning rate must be > 0 and ≤ 100',
    },
    {
      name: 'learning-rate changes out of step order',
      text: () =>
        mutate(
          (j) =>
            (j.runs[0].lrChanges = [
              { fromStep: 9, lr: 0.1 },
              { fromStep: 4, lr: 0.2 },
            ]),
        ),
      error: "runs[0].lrChanges[1].fromStep: 4 is not after the previous change's step 9 (changes are in step order)",
    },
    {
      name: 'wrong format',
      text: () => mutate((j) => (j.format = 'tfjs-model')),
      error: 'format: expected "autoclip-runs", got "tfjs-model" (this is not an AutoClip runs export)',
    },
    {
      name: 'no format at all',
      text: () => '{"runs": []}',
      error: 'format: expected "autoclip-runs", got nothing (this is not an AutoClip runs export)',
    },
    {
      name: 'a JSON array',
      text: () => '[1, 2]',
      error: 'the file is not an AutoClip runs export (expected a JSON object with "format": "autoclip-runs")',
    },
    {
      name: 'newer version',
      text: () => mutate((j) => (j.version = 3)),
      error: 'version: this app reads version 2 files (and version 1), got 3 (exported by a newer version of AutoClip Playground)',
    },
    {
      name: 'version as a string',
      text: () => mutate((j) => (j.version = '2')),
      error: 'version: this app reads version 2 files (and version 1), got "2"',
    },
    {
      name: 'truncated JSON',
      text: () => exportRunsJson(sampleRuns(), EXPORTED_AT).slice(0, 5000),
      error: /^the file is not valid JSON \(.+\)$/,
    },
    {
      name: 'huge input',
      text: () => ' '.repeat(MAX_IMPORT_CHARS + 1),
      error: `the file is too large: ${MAX_IMPORT_CHARS + 1} characters, the limit is ${MAX_IMPORT_CHARS} (64 MiB)`,
    },
    {
      name: 'too many runs',
      text: () => mutate((j) => (j.runs = Array.from({ length: MAX_IMPORT_RUNS + 1 }, () => j.runs[1]))),
      error: `runs: has more than ${MAX_IMPORT_RUNS} runs (the most one file may carry)`,
    },
    { name: 'runs not an array', text: () => mutate((j) => (j.runs = { a: 1 })), error: 'runs: must be an array of runs' },
    { name: 'bad exportedAt', text: () => mutate((j) => (j.exportedAt = 'yesterday')), error: 'exportedAt: must be an ISO 8601 date-time' },
    {
      name: 'learning rate ≤ 0',
      text: () => mutate((j) => (j.runs[1].config.train.learningRate = 0)),
      error: 'runs[1].config.train.learningRate: must be > 0',
    },
    {
      name: 'σ = 0 in a private run',
      text: () => mutate((j) => (j.runs[0].config.privacy.noise = { mode: 'sigma', sigma: 0 })),
      error:
        'runs[0].config.privacy.noise.sigma: must be > 0 for a private run (σ = 0 gives no privacy guarantee; turn privacy off instead)',
    },
    {
      name: 'unknown config key',
      text: () => mutate((j) => (j.runs[0].config.evil = true)),
      error: 'runs[0].config: Unrecognized key: "evil"',
    },
    { name: 'negative step', text: () => mutate((j) => (j.runs[1].metrics[3].step = -4)), error: 'runs[1].metrics[3].step: must be ≥ 0' },
    {
      name: 'NaN as a string where NaN is not allowed',
      text: () => mutate((j) => (j.runs[0].metrics[2].step = 'NaN')),
      error: 'runs[0].metrics[2].step: must be an integer, got the string "NaN"',
    },
    {
      name: 'misspelt NaN in a loss',
      text: () => mutate((j) => (j.runs[0].metrics[5].loss = 'nan')),
      error: 'runs[0].metrics[5].loss: must be a number (or "NaN", "Infinity", "-Infinity"), got the string "nan"',
    },
    {
      name: 'accuracy above 1',
      text: () => mutate((j) => (j.runs[0].metrics[0].testAcc = 1.5)),
      error: 'runs[0].metrics[0].testAcc: must be in [0, 1]',
    },
    {
      name: 'metrics not sorted by step',
      text: () =>
        mutate((j) => {
          [j.runs[0].metrics[2], j.runs[0].metrics[3]] = [j.runs[0].metrics[3], j.runs[0].metrics[2]];
        }),
      error: "runs[0].metrics[3].step: 3 is not after the previous point's step 4 (points must be sorted by step, one per step)",
    },
    {
      name: 'a step twice',
      text: () => mutate((j) => (j.runs[1].metrics[2] = j.runs[1].metrics[1])),
      error: "runs[1].metrics[2].step: 2 is not after the previous point's step 2 (points must be sorted by step, one per step)",
    },
    {
      name: 'missing metrics',
      text: () => mutate((j) => delete j.runs[0].metrics),
      error: 'runs[0].metrics: is required (an array of metric points)',
    },
    {
      name: 'duplicate run ids',
      text: () => mutate((j) => (j.runs[1].id = 'run-a')),
      error: 'runs[1].id: duplicate run id "run-a" (also runs[0])',
    },
    {
      name: 'markup in an id',
      text: () => mutate((j) => (j.runs[0].id = '<script>alert(1)</script>')),
      error: 'runs[0].id: must be 1–128 letters, digits or . _ : -',
    },
    {
      name: 'markup in a colour',
      text: () => mutate((j) => (j.runs[0].color = 'red" onmouseover="alert(1)')),
      error: 'runs[0].color: must be a colour like #2563eb',
    },
    {
      name: 'unknown state',
      text: () => mutate((j) => (j.runs[1].state = 'exploded')),
      error: 'runs[1].state: must be one of idle, running, paused, done, error; got the string "exploded"',
    },
    {
      name: 'corrupt base64 tensor',
      text: () => mutate((j) => (j.runs[0].checkpoint.payload.params[0].values = 'AAA*AAAA')),
      error: 'runs[0].checkpoint.payload.params[0].values: base64 text has an invalid character at position 3',
    },
    {
      name: 'tensor shorter than its shape',
      text: () => mutate((j) => (j.runs[0].checkpoint.payload.optimizer.slots[2].shape = [16, 11])),
      error: 'runs[0].checkpoint.payload.optimizer.slots[2].values: has 160 values but shape [16, 11] needs 176',
    },
    {
      name: 'privacy history that does not add up',
      text: () => mutate((j) => (j.runs[0].checkpoint.payload.privacy.history[0].steps -= 1)),
      error:
        'runs[0].checkpoint.payload.privacy.history: segments add up to 299 steps but the checkpoint is at step 300 (ε would be lower than the steps taken give)',
    },
    {
      name: 'sampling rate above 1',
      text: () => mutate((j) => (j.runs[0].checkpoint.payload.privacy.history[0].q = 2)),
      error: 'runs[0].checkpoint.payload.privacy.history[0].q: must be in (0, 1]',
    },
    {
      name: 'a forged checkpoint history (σ larger than the run’s, so ε too low)',
      text: () => mutate((j) => (j.runs[0].checkpoint.payload.privacy.history[0].sigma = 2)),
      error: "runs[0].checkpoint.payload.privacy.history[0].sigma: noise multiplier 2 differs from the run's σ = 0.8731",
    },
    {
      name: 'a forged checkpoint history (q smaller than B/N)',
      text: () => mutate((j) => (j.runs[0].checkpoint.payload.privacy.history[0].q = 0.01)),
      error: "runs[0].checkpoint.payload.privacy.history[0].q: sample rate 0.01 differs from the run's q = B/N = 0.032",
    },
    {
      name: 'a forged record of released steps',
      text: () => mutate((j) => (j.runs[0].released = [{ q: 0.032, sigma: 5, steps: 303 }])),
      error: "runs[0].released[0].sigma: noise multiplier 5 differs from the run's σ = 0.8731",
    },
    {
      name: 'a fixed σ the metadata contradicts',
      text: () =>
        mutate((j) => {
          j.runs[1].config.privacy.noise = { mode: 'sigma', sigma: 1.1 };
          j.runs[1].summary.sigma = 0.5;
          delete j.runs[1].released;
        }),
      error: 'runs[1].summary.sigma: 0.5 differs from config.privacy.noise.sigma 1.1',
    },
    {
      name: 'a caveat flag that contradicts the config',
      text: () => mutate((j) => (j.runs[0].summary.privacy.notCoveredByAccountant = true)),
      error: "runs[0].summary.privacy.notCoveredByAccountant: is true, but the run's config.privacy makes it false",
    },
    {
      name: "a summary whose accountant is not the config's",
      text: () => mutate((j) => (j.runs[0].summary.privacy.accountant = 'gdp')),
      error: "runs[0].summary.privacy.accountant: is gdp, but the run's config.privacy makes it prv",
    },
    {
      name: 'a sample rate the dataset size contradicts',
      text: () => mutate((j) => (j.runs[0].summary.privacy.sampleRate = 0.01)),
      error: 'runs[0].summary.privacy.sampleRate: is 0.01, but config.train.batchSize / summary.dataset.trainSize makes it 0.032',
    },
    {
      name: 'checkpoint step disagreeing with its payload',
      text: () => mutate((j) => (j.runs[0].checkpoint.step = 299)),
      error: 'runs[0].checkpoint.step: 299 differs from checkpoint.payload.step 300',
    },
    {
      name: 'checkpoint of another format version',
      text: () => mutate((j) => (j.runs[0].checkpoint.payload.version = 2)),
      error: 'runs[0].checkpoint.payload.version: must be 1 (checkpoint format version), got 2',
    },
  ];

  it.each(badImports)('refuses $name', ({ text, error }) => {
    const errors = importErrors(text());
    if (typeof error === 'string') expect(errors).toEqual([error]);
    else {
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(error);
    }
  });

  it('lists every problem in one go, and names them in the error message', () => {
    const text = mutate((j) => {
      j.runs[0].config.train.batchSize = 0;
      j.runs[1].metrics[0].epoch = -1;
    });
    let caught: RunsImportError | undefined;
    try {
      importRunsJson(text);
    } catch (e) {
      caught = e as RunsImportError;
    }
    expect(caught?.errors).toEqual(['runs[0].config.train.batchSize: must be ≥ 1', 'runs[1].metrics[0].epoch: must be ≥ 0']);
    expect(caught?.message).toBe('runs[0].config.train.batchSize: must be ≥ 1 (and 1 more problems)');
  });

  it('round-trips random metric series exactly', () => {
    const num = fc.double({ noNaN: false });
    const fin = fc.double({ noNaN: true, noDefaultInfinity: true, min: 0 });
    const point = (step: number) =>
      fc
        .record(
          {
            epoch: fin,
            loss: num,
            batchSize: fc.nat(),
            trainAcc: fc.double({ min: 0, max: 1, noNaN: true }),
            testAcc: fc.double({ min: 0, max: 1, noNaN: true }),
            testLoss: num,
            epsilon: fc.oneof(fin, fc.constant(Infinity)),
            epsilonRdp: fin,
            samplesPerSec: fin,
            elapsedMs: fin,
          },
          { requiredKeys: ['epoch', 'loss', 'batchSize', 'samplesPerSec', 'elapsedMs'] },
        )
        .map((p) => ({ step, ...p }) as MetricPoint);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => point(3 * i + 1)))),
        (points) => {
          // JSON has no -0; the format documents that it is written as 0.
          const run = sampleRun('run-r', 0, false);
          run.metrics = points.map(
            (p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Object.is(v, -0) ? 0 : v])) as unknown as MetricPoint,
          );
          const back = importRunsJson(exportRunsJson([run], EXPORTED_AT)).runs[0].metrics;
          expect(back).toEqual(run.metrics);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('base64 (float32)', () => {
  it('agrees with Node’s Buffer on random bytes, both ways', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = Buffer.from(bytes).toString('base64');
        expect(bytesToBase64(bytes)).toBe(text);
        expect(Array.from(base64ToBytes(text))).toEqual(Array.from(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every float32 bit pattern, NaN payloads and -0 included', () => {
    const values = new Float32Array([...AWKWARD_FLOATS, 0]);
    new Uint32Array(values.buffer)[values.length - 1] = 0x7fc00123; // a NaN with a payload
    expect(sameBits(base64ToFloat32(float32ToBase64(values)), values)).toBe(true);
    const view = new Float32Array([9, 8, 7, 6]).subarray(1, 3);
    expect(Array.from(base64ToFloat32(float32ToBase64(view)))).toEqual([8, 7]);
  });

  it('rejects malformed text', () => {
    expect(() => base64ToBytes('AAA')).toThrow('base64 text has 3 characters, not a multiple of 4');
    expect(() => base64ToBytes('A=AA')).toThrow('base64 text has an invalid character at position 1');
    expect(() => base64ToFloat32('AAAA')).toThrow('base64 data is 3 bytes, not a whole number of float32 values');
  });
});

describe('metricsCsv', () => {
  it('writes the header, empty cells for missing values and exact numbers', () => {
    const points: MetricPoint[] = [
      {
        step: 1,
        epoch: 0.032,
        loss: 2.302585092994046,
        batchSize: 250,
        trainAcc: 0.1,
        testAcc: 0.0975,
        testLoss: 2.31,
        epsilon: 0.11,
        epsilonRdp: 0.2,
        samplesPerSec: 12500.5,
        elapsedMs: 20,
      },
      { step: 2, epoch: 0.064, loss: 0.1 + 0.2, batchSize: 243, epsilonRdp: 1e-7, samplesPerSec: 1 / 3, elapsedMs: 41.25 },
      { step: 3, epoch: 0.096, loss: NaN, batchSize: 0, testLoss: Infinity, samplesPerSec: 0, elapsedMs: 1e21 },
    ];
    expect(metricsCsv(points)).toBe(
      'step,epoch,loss,trainAcc,testAcc,testLoss,epsilon,epsilonRdp,batchSize,samplesPerSec,elapsedMs\n' +
        '1,0.032,2.302585092994046,0.1,0.0975,2.31,0.11,0.2,250,12500.5,20\n' +
        '2,0.064,0.30000000000000004,,,,,1e-7,243,0.3333333333333333,41.25\n' +
        '3,0.096,NaN,,,Infinity,,,0,0,1e+21\n',
    );
    expect(metricsCsv([])).toBe('step,epoch,loss,trainAcc,testAcc,testLoss,epsilon,epsilonRdp,batchSize,samplesPerSec,elapsedMs\n');
  });

  it('every cell reads back as the same number', () => {
    // The column order itself is pinned by the header test above; here each cell is checked in it.
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double(), fc.option(fc.double(), { nil: undefined }))), (pairs) => {
        const points = pairs.map(([a, b], i) => ({ ...samplePoint(i + 1), loss: a, testLoss: b }));
        const lines = metricsCsv(points).split('\n');
        expect(lines.at(-1)).toBe('');
        lines.slice(1, -1).forEach((line, i) => {
          const cells = line.split(',');
          METRICS_CSV_COLUMNS.forEach((k, c) => {
            const v = points[i][k];
            if (v === undefined) expect(cells[c]).toBe('');
            else expect(Object.is(Number(cells[c]), v)).toBe(true);
          });
        });
      }),
      { numRuns: 200 },
    );
  });
});
