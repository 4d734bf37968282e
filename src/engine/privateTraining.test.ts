import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRunConfig, type RunConfig } from '../config/runConfig';
import { refEpsilon } from '../privacy/testing/reference';
import { loadSplit } from './datasets';
import { RunController } from './runController';
import { noMnist } from './testing';
import { TrainingRun } from './trainingRun';
import { createAccountant } from '../privacy';
import type { RunEvent } from '../domain/runEvent';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function circleConfig(privacy: Partial<RunConfig['privacy']>): RunConfig {
  const c = defaultRunConfig();
  return {
    ...c,
    data: { source: 'synthetic', name: 'circle', n: 1000, noise: 0.05, testFraction: 0.2 },
    model: { preset: 'mlp', hidden: [16], activation: 'relu' },
    train: { ...c.train, optimizer: 'adam', learningRate: 0.02, batchSize: 64, epochs: 16, evalEvery: 50 },
    privacy: { ...c.privacy, secureNoise: false, ...privacy },
  };
}

async function trainToEnd(config: RunConfig) {
  const run = TrainingRun.create(config, await loadSplit(config.data, config.seed, noMnist));
  while (!run.done) await run.trainStep();
  const ev = await run.evaluate();
  const out = { run, ev, epsilon: run.privacy.enabled ? run.ledger.epsilon() : Infinity };
  return out;
}

/** A controller for `config` on its data, and the events it emits. */
async function controllerFor(id: string, config: RunConfig) {
  const events: RunEvent[] = [];
  const ctl = new RunController(id, config, await loadSplit(config.data, 1, noMnist), (e) => events.push(e));
  return { ctl, events };
}

describe('private training end to end (Node, CPU)', () => {
  it('AUTO-S with σ calibrated for ε = 3 gets close to non-private accuracy, and reports the accountant’s ε', async () => {
    const plain = await trainToEnd(circleConfig({ enabled: false }));
    const priv = await trainToEnd(
      circleConfig({ enabled: true, clipping: 'auto-s', noise: { mode: 'target', epsilon: 3 }, accountant: 'prv', delta: 1e-5 }),
    );
    const { sampleRate, plannedSteps, sigma } = priv.run.privacy;
    expect(sampleRate).toBeCloseTo(64 / 800, 12);
    expect(plannedSteps).toBe(200);
    expect(priv.run.step).toBe(200);
    // ε at the end is the accountant's value for (q, σ, steps), and within the target.
    const independent = createAccountant('prv').step(sampleRate, sigma!, plannedSteps).getEpsilon(1e-5).epsilon;
    expect(priv.epsilon).toBeCloseTo(independent, 10);
    expect(priv.epsilon).toBeLessThanOrEqual(3);
    expect(priv.epsilon).toBeGreaterThan(2.9);
    // Accuracy (measured: non-private ≈ 1.00, AUTO-S at ε = 3 ≈ 0.97-1.00 on this set).
    expect(plain.ev.testAcc).toBeGreaterThan(0.95);
    expect(priv.ev.testAcc).toBeGreaterThan(plain.ev.testAcc - 0.06);
    plain.run.dispose();
    priv.run.dispose();
  });

  it('the live RDP ε equals the reference RDP value for the c5 config when stepped the same way', () => {
    // The ledger's RDP path is the one every step uses; check it against Opacus numbers directly.
    const ref = refEpsilon('c5');
    const acc = createAccountant('rdp').step(ref.q, ref.sigma, ref.steps);
    expect(Math.abs(acc.getEpsilon(ref.delta).epsilon - ref.rdp) / ref.rdp).toBeLessThan(1e-8);
  });

  it('streams ε, per-sample norm histograms and the calibrated σ', async () => {
    const config = circleConfig({ enabled: true, clipping: 'abadi', maxGradNorm: 0.1, noise: { mode: 'sigma', sigma: 1 } });
    const { ctl, events } = await controllerFor('r', { ...config, train: { ...config.train, evalEvery: 3 } });
    for (let i = 0; i < 6; i++) await ctl.stepOnce();
    const created = events.find((e) => e.type === 'created');
    expect(created).toMatchObject({ summary: { sigma: 1, privacy: { enabled: true, accountant: 'prv', notCoveredByAccountant: false } } });
    const points = events.flatMap((e) => (e.type === 'metrics' ? e.points : []));
    expect(points).toHaveLength(6);
    // RDP every step, increasing; PRV on evaluation steps, never above the RDP bound.
    for (let i = 1; i < points.length; i++) expect(points[i].epsilonRdp!).toBeGreaterThan(points[i - 1].epsilonRdp!);
    for (const p of points.filter((q) => q.epsilon !== undefined)) expect(p.epsilon!).toBeLessThanOrEqual(p.epsilonRdp! + 1e-9);
    // Signal and noise norms stream with every step of a private run.
    for (const p of points) expect(p.signalNorm! > 0 && p.noiseNorm! > 0).toBe(true);
    const stats = events.flatMap((e) => (e.type === 'gradStats' ? [e.stats] : []));
    expect(stats).toHaveLength(6);
    for (const s of stats) {
      const total = s.histogram.counts.reduce((a, b) => a + b, 0);
      expect(total).toBe(s.norms.length);
      expect(s.maxGradNorm).toBe(0.1);
      // Fraction clipped is exactly the share of norms above R.
      const above = Array.from(s.norms).filter((v) => v > 0.1).length / s.norms.length;
      expect(s.fractionClipped).toBeCloseTo(above, 6);
      expect(s.noiseNorm).toBeGreaterThan(0);
    }
    await ctl.dispose();
  });

  it('step-through inspection reports the batch, per-sample norms and factors, noise and the update', async () => {
    const config = circleConfig({ enabled: true, clipping: 'abadi', maxGradNorm: 0.5, noise: { mode: 'sigma', sigma: 2 } });
    const { ctl, events } = await controllerFor('r', config);
    await ctl.stepOnce(true);
    const ins = events.flatMap((e) => (e.type === 'inspection' ? [e.inspection] : []));
    expect(ins).toHaveLength(1);
    const i = ins[0];
    expect(i.step).toBe(1);
    expect(i.stats!.norms.length).toBe(i.indices.length);
    expect(i.labels.length).toBe(i.indices.length);
    expect(i.paddedSize).toBeGreaterThanOrEqual(i.indices.length);
    expect(i.noiseStd).toBeCloseTo(2 * 0.5, 12); // σ·R for Abadi
    expect(i.updateNorm).toBeGreaterThan(0);
    // Factors follow min(1, R/‖g‖) sample by sample.
    Array.from(i.stats!.norms).forEach((n, k) => expect(i.stats!.clipFactors[k]).toBeCloseTo(Math.min(1, 0.5 / n), 5));
    expect(created(events).summary.privacy.projectedEpsilon).toBeGreaterThan(0);
    await ctl.dispose();
  });

  it('a hard budget stops training at the last step with ε ≤ budget, and says so', async () => {
    const config = circleConfig({
      enabled: true,
      clipping: 'auto-s',
      noise: { mode: 'sigma', sigma: 1.5 },
      accountant: 'rdp',
      budgetEpsilon: 1.5,
    });
    const { ctl, events } = await controllerFor('b', { ...config, train: { ...config.train, evalEvery: 1000 } });
    ctl.start();
    await ctl.settled();
    const points = events.flatMap((e) => (e.type === 'metrics' ? e.points : []));
    const last = points[points.length - 1];
    const plan = created(events).summary.privacy;
    // Independent check: the RDP accountant at the stop step is within budget, one step more is not.
    const q = plan.sampleRate;
    const at = (t: number) => createAccountant('rdp').step(q, 1.5, t).getEpsilon(config.privacy.delta).epsilon;
    expect(at(last.step)).toBeLessThanOrEqual(1.5);
    expect(at(last.step + 1)).toBeGreaterThan(1.5);
    expect(last.step).toBeLessThan(created(events).summary.totalSteps);
    expect(events[events.length - 1]).toMatchObject({
      type: 'state',
      state: 'done',
      message: expect.stringContaining('privacy budget ε ≤ 1.5 is spent'),
    });
    await ctl.dispose();
  });

  it('a diverging learning rate stops the run with an explanation and a hint', async () => {
    const config = circleConfig({ enabled: false });
    const { ctl, events } = await controllerFor('d', {
      ...config,
      model: { preset: 'mlp', hidden: [16], activation: 'tanh' },
      train: { ...config.train, optimizer: 'adam', learningRate: 100 },
    });
    ctl.start();
    await ctl.settled();
    expect(ctl.currentState).toBe('error');
    expect(events[events.length - 1]).toMatchObject({
      type: 'state',
      state: 'error',
      message: expect.stringMatching(/diverged.*Lower the learning rate/),
    });
    await ctl.dispose();
  });

  it('refuses σ = 0 for a private run with a message naming the field', async () => {
    const { parseRunConfig } = await import('../config/runConfig');
    const r = parseRunConfig(circleConfig({ enabled: true, noise: { mode: 'sigma', sigma: 0 } }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join()).toContain('privacy.noise.sigma');
  });
});

function created(events: RunEvent[]) {
  const c = events.find((e) => e.type === 'created');
  if (!c || c.type !== 'created') throw new Error('no created event');
  return c;
}
