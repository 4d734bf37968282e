import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/runConfig';
import { stepBudgetIssues } from '../config/stepBudget';
import type { RunCheckpoint } from '../domain/checkpoint';
import { learningRateProblem } from '../config/learningRate';
import { learningRateAt, withLrChange, type LrChange } from '../domain/learningRate';
import type { DatasetSplit } from '../data/types';
import { buildModel } from '../model';
import type { Model } from '../model/types';
import { addAll } from '../dp/addAll';
import { canFuse, FusedOptimizer } from '../dp/fusedOptimizer';
import { applyGradients } from '../dp/applyGradients';
import { computeGradients, gradientTensors } from '../dp/step';
import { planDpStep, type DpStepPlan } from '../dp/stepPlan';
import { plannedDpPath } from '../dp/path';
import type { DpStepStats } from '../dp/types';
import type { GradientPlane } from '../domain/gradientPlane';
import { planeOfStep } from './planeOfStep';
import { createOptimizer, type Optimizer, type OptimizerSpec, type OptimizerState } from '../optim';
import type { MetricPoint } from '../domain/metricPoint';
import { accountedSteps, checkHistory, noStepAllowed, planPrivacy, RunLedger, type PrivacyPlan, type PrivacySegment } from './privacyPlan';
import { poissonSampler, shuffleSampler, type BatchSampler, type SamplingRandomness } from './sampling';

/** Evaluation reads at most this many training examples, so it stays cheap on large sets. */
const TRAIN_EVAL_LIMIT = 2_000;
const EVAL_CHUNK = 512;

/** What step-through mode shows beyond the usual diagnostics. */
export interface StepInspection {
  /** Training-set indices of the real rows drawn for this step. */
  indices: Int32Array;
  labels: Int32Array;
  /** Rows after padding to the bucket size. */
  paddedSize: number;
  /** ‖θ_after − θ_before‖. */
  updateNorm: number;
  learningRate: number;
}

/** What one training step reports. */
export interface StepResult {
  point: MetricPoint;
  stats?: DpStepStats;
  inspection?: StepInspection;
  plane?: GradientPlane | Error;
}

export interface Evaluation {
  trainAcc: number;
  testAcc: number;
  testLoss: number;
}

/**
 * One training run: the data on the device, the model, the optimizer, the sampler and the step
 * counter. Environment-agnostic (worker or Node); it trains on whatever TF.js backend is active.
 *
 * The private and non-private paths differ only in the DP step's plan (`stepPlan`, built once from
 * the privacy plan): the DP step itself (clipping, noise) lives in src/dp.
 */
export class TrainingRun {
  private stepCount = 0;
  private readonly sampler: BatchSampler;
  private readonly optimizer: Optimizer;
  private disposed = false;
  /** Learning-rate changes made while training (the config's rate holds before the first). */
  private schedule: LrChange[] = [];
  /** A step is between reading its learning rate and counting itself: a change now starts a step later. */
  private stepInFlight = false;

  private constructor(
    readonly config: RunConfig,
    readonly data: DatasetSplit,
    readonly model: Model,
    private readonly trainX: tf.Tensor,
    private readonly trainY: tf.Tensor1D,
    private readonly testX: tf.Tensor,
    private readonly testY: tf.Tensor1D,
    /** σ, q, planned steps and the DP step's options; `privacy.enabled` false means plain training. */
    readonly privacy: PrivacyPlan,
    samplerState?: number | null,
  ) {
    const n = data.train.y.length;
    const B = config.train.batchSize;
    // Secure randomness: batches from the CSPRNG, nothing derived from the (public) seed; a resumed
    // run keeps drawing fresh batches (Poisson sampling is memoryless). Seeded: reproducible, and a
    // checkpoint's sampler state continues the stream exactly.
    const randomness: SamplingRandomness = privacy.secureRandomness
      ? { kind: 'secure' }
      : { kind: 'seeded', seed: config.seed * 7919 + 17, resume: samplerState ?? undefined };
    this.sampler =
      privacy.enabled && config.privacy.sampling === 'poisson' ? poissonSampler(n, B, randomness) : shuffleSampler(n, B, randomness);
    // config.engine.dpPath picks the DP step's implementation; on the kernel path the noise is drawn
    // inside a fused optimizer update (src/dp/fusedOptimizer.ts) when the optimizer has one.
    const spec = optimizerSpec(config);
    const fuse = privacy.enabled && plannedDpPath(config.engine.dpPath) === 'kernels' && canFuse(spec);
    this.optimizer = fuse ? new FusedOptimizer(spec) : createOptimizer(spec);
    this.stepPlan = planDpStep({
      clip: privacy.clip,
      noiseMultiplier: privacy.sigma ?? 0,
      expectedBatchSize: privacy.expectedBatchSize ?? undefined,
      noise: privacy.noise ?? undefined,
      implementation: config.engine.dpPath,
      fusedUpdate: fuse,
      // Private runs show their per-sample diagnostics; plain training skips the per-sample pass.
      stats: privacy.enabled,
    });
    this.ledger = new RunLedger(privacy);
    this.totalSteps = privacy.plannedSteps;
    this.stepsPerEpoch = n / B;
  }

  private readonly stepPlan: DpStepPlan;
  /** ε spent so far (private runs). */
  readonly ledger: RunLedger;

  /** Steps the config asks for: ⌊epochs × N / B⌋ (as Opacus counts them), at least 1. */
  readonly totalSteps: number;
  /** Expected steps per pass over the training set (N / B; fractional under Poisson sampling). */
  readonly stepsPerEpoch: number;

  /**
   * Uploads the data once (batches are gathered on the device by index) and builds the model.
   * Throws with a specific message when the config does not fit the data.
   *
   * `released`: the privacy history of every step whose results were shown, as recorded before they
   * were (see RunController's onRelease). A run that resumes from an older checkpoint (device loss,
   * reload mid-run) keeps accounting those steps: ε never goes down.
   *
   * `lrChanges`: the learning-rate changes made during the run so far (stored with it); the run
   * follows them from wherever it continues.
   */
  static create(
    config: RunConfig,
    data: DatasetSplit,
    checkpoint?: RunCheckpoint,
    released?: readonly PrivacySegment[],
    lrChanges: readonly LrChange[] = [],
  ): TrainingRun {
    checkLrChanges(lrChanges);
    const n = data.train.y.length;
    // The schema checks built-in sets; this covers every set, imported ones included, before any allocation.
    const overBudget = stepBudgetIssues(config.model, config.train.batchSize, data.train.inputShape, data.train.numClasses);
    if (overBudget.length) throw new RangeError(overBudget.map((i) => i.message).join('; '));
    // Plan (and calibrate σ) before touching the device, so a bad privacy setting changes nothing.
    // Steps accounted beyond the model's step widen the budget search to the run's real end.
    const accounted = Math.max(accountedSteps(checkpoint?.privacy.history), accountedSteps(released));
    const privacy = planPrivacy(config, n, Number.isFinite(accounted) ? Math.max(0, accounted - (checkpoint?.step ?? 0)) : 0);
    const releasedSteps = released ? checkHistory(privacy, released, 0, 'released steps') : 0;
    const shape = data.train.inputShape;
    const model = buildModel(config.model, shape, data.train.numClasses, config.seed);
    const upload = (d: DatasetSplit['train']) => {
      const x = tf.tensor(d.x, [d.y.length, ...shape], 'float32');
      const y = tf.tensor1d(d.y, 'int32');
      return [x, y] as const;
    };
    const [trainX, trainY] = upload(data.train);
    const [testX, testY] = upload(data.test);
    const run = new TrainingRun(config, data, model, trainX, trainY, testX, testY, privacy, checkpoint?.samplerSeed);
    if (checkpoint) {
      try {
        run.restore(checkpoint);
      } catch (e) {
        run.dispose();
        throw e;
      }
    }
    run.ledger.extendTo(releasedSteps);
    run.schedule = [...lrChanges];
    return run;
  }

  get step(): number {
    return this.stepCount;
  }

  /** Done at the planned end, or earlier when the ledger holds the most steps a hard privacy budget allows. */
  get done(): boolean {
    return this.stepCount >= this.totalSteps || this.budgetSpent;
  }

  /** The budget counts accounted steps, released steps before a rewind included, not model steps. */
  private get budgetSpent(): boolean {
    const limit = this.privacy.budgetSteps;
    return limit !== null && this.ledger.steps >= limit;
  }

  /** Why the run ended early, if a hard privacy budget stopped it. */
  get stopReason(): string | undefined {
    if (!this.budgetSpent) return undefined;
    if (this.ledger.steps === 0) return noStepAllowed(this.privacy, this.config.privacy.budgetEpsilon!);
    const extra = this.ledger.steps - this.stepCount;
    const released = extra > 0 ? ` (${this.ledger.steps} steps accounted, ${extra} of them released before a rewind)` : '';
    return `Stopped at step ${this.stepCount} of ${this.totalSteps}: the privacy budget ε ≤ ${this.config.privacy.budgetEpsilon} is spent${released}.`;
  }

  /** Learning-rate changes made so far, in step order. */
  get lrChanges(): readonly LrChange[] {
    return this.schedule;
  }

  /**
   * Trains with `lr` from the next step that has not yet read its learning rate; the optimizer keeps
   * its state (momentum, Adam's moments). The privacy accounting does not depend on it: the learning
   * rate only post-processes the noisy gradient. Throws on a bad rate, changing nothing.
   */
  setLearningRate(lr: number): LrChange {
    const problem = learningRateProblem(lr);
    if (problem) throw new RangeError(problem);
    const change = { fromStep: this.stepCount + (this.stepInFlight ? 2 : 1), lr };
    this.schedule = withLrChange(this.schedule, change.fromStep, lr);
    return change;
  }

  /** Sampling scheme actually used, and whether the accountant's Poisson assumption holds for it. */
  get sampling(): { kind: 'poisson' | 'shuffle'; coveredByAccountant: boolean } {
    return { kind: this.sampler.kind, coveredByAccountant: this.sampler.coveredByAccountant };
  }

  /** One optimizer step on a freshly sampled batch. */
  async trainStep(options: { inspect?: boolean; plane?: boolean } = {}): Promise<StepResult> {
    this.assertLive();
    const started = performance.now();
    const learningRate = learningRateAt(this.config.train.learningRate, this.schedule, this.stepCount + 1);
    this.optimizer.learningRate = learningRate;
    this.stepInFlight = true;
    try {
      return await this.takeStep(options, started, learningRate);
    } finally {
      this.stepInFlight = false;
    }
  }

  private async takeStep(options: { inspect?: boolean; plane?: boolean }, started: number, learningRate: number): Promise<StepResult> {
    const batch = this.sampler.next();
    // A seeded run's noise for this step depends on (seed, step) only: a resumed run draws what the
    // uninterrupted run drew here, not its first steps' noise again.
    this.privacy.noise?.startStep(this.stepCount);
    // Step-through mode keeps a copy of the parameters to report the size of the update.
    const before = options.inspect ? this.model.params.map((p) => tf.clone(p)) : null;
    const x = tf.gather(this.trainX, batch.indices);
    const labels = tf.gather(this.trainY, batch.indices) as tf.Tensor1D;
    const mask = tf.tensor1d(batch.mask, 'float32');
    let lossValue: number;
    let stats: DpStepStats | undefined;
    let plane: GradientPlane | Error | undefined;
    try {
      // Only the steps that show the gradient plane compute its Grams; every other step is unchanged.
      const result = await computeGradients(this.model, x, labels, mask, this.stepPlan, { gram: options.plane });
      try {
        stats = result.stats;
        if (result.gram) {
          try {
            plane = planeOfStep(this.stepCount + 1, result.gram, batch.mask, batch.indices, this.stepPlan, this.data.train);
          } catch (e) {
            plane = e instanceof Error ? e : new Error(String(e)); // the step itself stands; the view reports why it has no picture
          }
        }
        // Throws (and the step does not happen) unless the gradient carries the noise the plan requires.
        applyGradients(this.optimizer, this.model.params, result.gradient, this.privacy.noiseStd ?? 0);
        lossValue = (await result.loss.data())[0];
      } finally {
        tf.dispose([result.loss, ...gradientTensors(result.gradient)]);
      }
    } finally {
      tf.dispose([x, labels, mask]);
    }
    this.stepCount++;
    this.stepInFlight = false; // counted: a change from here on starts at the next step
    this.ledger.step();
    let inspection: StepInspection | undefined;
    if (before) {
      const sq = tf.tidy(() => addAll(this.model.params.map((p, i) => tf.sum(tf.square(tf.sub(p, before[i]))))));
      const updateNorm = Math.sqrt((await sq.data())[0]);
      tf.dispose([sq, ...before]);
      const real = batch.indices.slice(0, batch.realSize);
      inspection = {
        indices: real,
        labels: Int32Array.from(real, (i) => this.data.train.y[i]),
        paddedSize: batch.indices.length,
        updateNorm,
        learningRate,
      };
    }
    const elapsed = Math.max(1e-3, performance.now() - started);
    this.trainingMs += elapsed;
    const point: MetricPoint = {
      step: this.stepCount,
      epoch: this.stepCount / this.stepsPerEpoch,
      loss: lossValue,
      batchSize: batch.realSize,
      samplesPerSec: (batch.realSize * 1000) / elapsed,
      elapsedMs: this.trainingMs,
    };
    if (this.privacy.enabled) point.epsilonRdp = this.ledger.epsilonRdp();
    return { point, stats, inspection, plane };
  }

  /** Wall-clock time spent in training steps so far (pauses excluded). */
  private trainingMs = 0;

  /**
   * Everything needed to continue this run: parameters, optimizer state, the privacy history, the
   * step count, and for a seeded run the sampler's random state (it then continues exactly). A run
   * with secure randomness saves no sampler state (null): nothing saved or exported lets anyone
   * recompute or predict its batches. Reads the device with awaited reads only.
   */
  async checkpoint(): Promise<RunCheckpoint> {
    this.assertLive();
    const params = await Promise.all(
      this.model.params.map(async (p) => ({ shape: [...p.shape], values: (await p.data()) as Float32Array })),
    );
    const optimizer = await this.optimizer.saveState();
    return {
      version: 1,
      step: this.stepCount,
      trainingMs: this.trainingMs,
      params,
      optimizer,
      privacy: { history: this.ledger.history() },
      samplerSeed: this.sampler.state(),
    };
  }

  /**
   * Loads a checkpoint of the same config into this freshly built run; throws, naming the mismatch.
   * Its privacy history comes from storage or a file, so it is checked against the config.
   */
  private restore(c: RunCheckpoint): void {
    const ps = this.model.params;
    if (c.params.length !== ps.length) throw new Error(`checkpoint: ${c.params.length} parameter tensors, the model has ${ps.length}`);
    c.params.forEach((t, i) => {
      const want = ps[i].shape;
      if (t.shape.length !== want.length || t.shape.some((d, k) => d !== want[k]) || t.values.length !== ps[i].size) {
        throw new Error(`checkpoint: parameter ${i} has shape [${t.shape.join(', ')}], the model has [${want.join(', ')}]`);
      }
    });
    if (!(Number.isInteger(c.step) && c.step >= 0 && c.step <= this.totalSteps))
      throw new Error(`checkpoint: step ${c.step} is outside 0…${this.totalSteps}`);
    checkHistory(this.privacy, c.privacy.history, c.step, 'checkpoint');
    if (this.sampler.randomness === 'seeded' && c.samplerSeed === null) {
      throw new Error('checkpoint: samplerSeed is null, but this run samples from its seed and needs the sampler state to continue');
    }
    this.optimizer.loadState({ ...c.optimizer, name: c.optimizer.name as OptimizerState['name'] }, ps);
    tf.tidy(() => c.params.forEach((t, i) => ps[i].assign(tf.tensor(t.values, t.shape, 'float32'))));
    this.ledger.restore(c.privacy.history);
    this.stepCount = c.step;
    this.trainingMs = c.trainingMs;
  }

  /** Accuracy on (a prefix of) the training set and on the test set, and the test loss. */
  async evaluate(): Promise<Evaluation> {
    this.assertLive();
    const nTrain = Math.min(TRAIN_EVAL_LIMIT, this.data.train.y.length);
    const train = await this.scoreSet(this.trainX, this.trainY, nTrain);
    const test = await this.scoreSet(this.testX, this.testY, this.data.test.y.length);
    return { trainAcc: train.acc, testAcc: test.acc, testLoss: test.loss };
  }

  /** Class probabilities for arbitrary inputs (rows of inputShape), e.g. the decision-boundary grid. */
  async predictProba(x: Float32Array, rows: number): Promise<Float32Array> {
    this.assertLive();
    const probs = tf.tidy(() => tf.softmax(this.model.apply(tf.tensor(x, [rows, ...this.data.train.inputShape], 'float32'))));
    const out = (await probs.data()) as Float32Array;
    probs.dispose();
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([this.trainX, this.trainY, this.testX, this.testY]);
    this.optimizer.dispose();
    this.model.dispose();
  }

  private async scoreSet(x: tf.Tensor, y: tf.Tensor1D, n: number): Promise<{ acc: number; loss: number }> {
    let correct = 0;
    let lossSum = 0;
    for (let start = 0; start < n; start += EVAL_CHUNK) {
      const size = Math.min(EVAL_CHUNK, n - start);
      const [hits, losses] = tf.tidy(() => {
        const xb = x.slice(start, size);
        const yb = y.slice(start, size);
        const logits = this.model.apply(xb);
        const hit = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), yb), 'float32'));
        const onehot = tf.oneHot(yb, this.data.train.numClasses);
        const loss = tf.losses.softmaxCrossEntropy(onehot, logits, undefined, undefined, tf.Reduction.SUM);
        return [hit, loss];
      });
      const [h, l] = await Promise.all([hits.data(), losses.data()]);
      tf.dispose([hits, losses]);
      correct += h[0];
      lossSum += l[0];
    }
    return { acc: correct / n, loss: lossSum / n };
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('TrainingRun: this run was disposed');
  }
}

/** Changes from storage or a file: each a valid rate, in increasing step order; throws naming the first bad one. */
function checkLrChanges(changes: readonly LrChange[]): void {
  changes.forEach((c, i) => {
    const problem = learningRateProblem(c.lr);
    if (problem) throw new RangeError(`learning-rate change ${i + 1}: ${problem}, got ${c.lr}`);
    const after = i === 0 ? 0 : changes[i - 1].fromStep;
    if (!(Number.isSafeInteger(c.fromStep) && c.fromStep > after)) {
      throw new RangeError(`learning-rate change ${i + 1}: fromStep must be an integer after ${after}, got ${c.fromStep}`);
    }
  });
}

/** The optimizer a config asks for (momentum applies to SGD only). */
export function optimizerSpec(config: RunConfig): OptimizerSpec {
  const { optimizer, learningRate: lr, momentum, weightDecay } = config.train;
  return optimizer === 'sgd' ? { name: 'sgd', lr, momentum, weightDecay } : { name: optimizer, lr, weightDecay };
}
