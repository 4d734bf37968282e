import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSplit } from '../src/engine/datasets';
import { RunController } from '../src/engine/runController';
import { metricPoints, noMnist, rdpEpsilon, smallPrivateConfig } from '../src/engine/testing';
import type { RunEvent } from '../src/domain/runEvent';
import { RunPersistence } from './runPersistence';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('RunPersistence: released steps survive a reload', () => {
  it('ε goes down after a reload mid-run: the run resumes from its checkpoint but accounts every step it showed', async () => {
    const cfg = smallPrivateConfig();
    const split = await loadSplit(cfg.data, cfg.seed, noMnist);
    const problems: string[] = [];
    const db = 'released-reload';
    // The first page: trains with a checkpoint every 5 steps, then goes away right after step 8 was shown.
    const first = (await RunPersistence.open((m) => problems.push(m), db))!;
    first.created('run-1', cfg, { label: 'AUTO-S', color: '#2563eb' });
    const shown: RunEvent[] = [];
    const ctl: RunController = new RunController(
      'run-1',
      cfg,
      split,
      (e) => {
        first.observe(e);
        shown.push(e);
        if (e.type === 'metrics' && e.points.some((p) => p.step === 8)) ctl.detach();
      },
      {
        checkpointEvery: 5,
        onCheckpoint: (cp) => first.checkpoint('run-1', cp),
        onRelease: (h) => first.release('run-1', h),
        yieldToEvents: () => Promise.resolve(),
      },
    );
    ctl.start();
    await ctl.settled();
    const before = metricPoints(shown).at(-1)!;
    expect(before.step).toBe(8);

    // The reloaded page: a new connection finds the checkpoint at step 5 and the record of 8 released steps.
    const second = (await RunPersistence.open((m) => problems.push(m), db))!;
    const [listed] = await second.list();
    expect(listed.checkpoint?.step).toBe(5);
    expect(listed.meta.released).toEqual([{ q: 32 / 450, sigma: 1.1, steps: 8 }]);
    // The run's summary is kept as the engine announced it.
    const created = shown.find((e) => e.type === 'created');
    if (created?.type !== 'created') throw new Error('no created event');
    expect(listed.meta.summary).toEqual(created.summary);
    expect(listed.meta.summary?.privacy).toMatchObject({ enabled: true, sampleRate: 32 / 450, accountant: 'rdp', seededRandomness: true });
    const saved = (await second.load('run-1'))!;
    const events: RunEvent[] = [];
    const resumed = new RunController('run-1', cfg, split, (e) => events.push(e), {
      checkpoint: saved.checkpoint!.payload,
      released: saved.meta.released,
    });
    await resumed.stepOnce();
    const next = metricPoints(events)[0];
    expect(next.step).toBe(6);
    expect(next.epsilonRdp!).toBeGreaterThanOrEqual(before.epsilonRdp!);
    expect(next.epsilonRdp!).toBeCloseTo(rdpEpsilon(32 / 450, 1.1, 9), 12);
    expect(problems).toEqual([]);
    await Promise.all([ctl.dispose(), resumed.dispose()]);
  });

  it('a failed record rejects (the engine must not show the step), and later writes still run', async () => {
    const problems: string[] = [];
    const p = (await RunPersistence.open((m) => problems.push(m), 'released-missing'))!;
    await expect(p.release('nobody', [{ q: 0.1, sigma: 1, steps: 1 }])).rejects.toThrow(/no saved run nobody/);
    p.created('run-2', smallPrivateConfig(), { label: 'x', color: '#2563eb' });
    await p.release('run-2', [{ q: 0.1, sigma: 1, steps: 3 }]);
    expect((await p.load('run-2'))?.meta.released).toEqual([{ q: 0.1, sigma: 1, steps: 3 }]);
  });
});

describe('RunPersistence: learning-rate changes survive a reload', () => {
  it('the changes are saved with the run, listed for the page, and a run resumed from its checkpoint follows them', async () => {
    const cfg = { ...smallPrivateConfig({ enabled: false }), train: { ...smallPrivateConfig().train, optimizer: 'adam' as const } };
    const split = await loadSplit(cfg.data, cfg.seed, noMnist);
    const db = 'lr-changes-reload';
    const problems: string[] = [];
    const first = (await RunPersistence.open((m) => problems.push(m), db))!;
    first.created('run-lr', cfg, { label: 'lr', color: '#2563eb' });
    const ctl: RunController = new RunController(
      'run-lr',
      cfg,
      split,
      (e) => {
        first.observe(e);
        if (e.type === 'metrics' && e.points.some((p) => p.step === 3)) ctl.setLearningRate(0.3);
        if (e.type === 'metrics' && e.points.some((p) => p.step === 8)) ctl.detach();
      },
      { checkpointEvery: 5, onCheckpoint: (cp) => first.checkpoint('run-lr', cp), yieldToEvents: () => Promise.resolve() },
    );
    ctl.start();
    await ctl.settled();
    const uninterrupted = await (
      ctl as unknown as { run: { checkpoint(): Promise<{ params: { values: Float32Array }[] }> } }
    ).run.checkpoint();

    const second = (await RunPersistence.open((m) => problems.push(m), db))!;
    const [listed] = await second.list();
    expect(listed.meta.lrChanges).toEqual([{ fromStep: 4, lr: 0.3 }]);
    expect(listed.checkpoint?.step).toBe(5);
    const saved = (await second.load('run-lr'))!;
    const resumed = new RunController('run-lr', cfg, split, () => undefined, {
      checkpoint: saved.checkpoint!.payload,
      lrChanges: saved.meta.lrChanges,
    });
    for (let i = 0; i < 3; i++) await resumed.stepOnce();
    const again = await (resumed as unknown as { run: { checkpoint(): Promise<{ params: { values: Float32Array }[] }> } }).run.checkpoint();
    expect(again.params.map((p) => Array.from(p.values))).toEqual(uninterrupted.params.map((p) => Array.from(p.values)));
    expect(problems).toEqual([]);
    await Promise.all([ctl.dispose(), resumed.dispose()]);
  });
});
