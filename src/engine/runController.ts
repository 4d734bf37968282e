import type { RunConfig } from '../config/runConfig';
import { decisionGrid } from '../data/synthetic';
import type { DatasetSplit } from '../data/types';
import type { PrivacySegment, RunCheckpoint } from '../domain/checkpoint';
import { copyGradStats } from '../domain/gradStats';
import type { LrChange } from '../domain/learningRate';
import type { MetricPoint } from '../domain/metricPoint';
import type { RunId, RunState } from '../domain/run';
import type { RunEvent } from '../domain/runEvent';
import type { RunSummary } from '../domain/runSummary';
import { datasetMeta } from './datasets';
import { DivergenceWatch, TrainingDiverged } from './divergence';
import { toGradStats } from './gradStats';
import { TrainingRun } from './trainingRun';

/** Decision-boundary grid: resolution² points over [-extent, extent]². */
const BOUNDARY_RESOLUTION = 48;
const BOUNDARY_EXTENT = 1.25;

export interface ControllerOptions {
  /** Yield to the event loop between steps so pause/step commands are handled promptly. */
  yieldToEvents?: () => Promise<void>;
  /** Continue a saved run from this checkpoint instead of step 0. */
  checkpoint?: RunCheckpoint;
  /** Receives a checkpoint every `checkpointEvery` steps, on pause, after a single step and at the end. */
  onCheckpoint?: (checkpoint: RunCheckpoint) => Promise<void> | void;
  checkpointEvery?: number;
  /** Privacy history of the steps already released (shown) before a rewind; the ledger continues from it. */
  released?: readonly PrivacySegment[];
  /**
   * Records, durably, the privacy history of a private run up to a step before anything of that step
   * is emitted: what was shown stays spent after a reload or a device loss rewinds the model. If it
   * fails, the step is not shown and the run stops (fail closed). Reset records an empty history.
   */
  onRelease?: (history: PrivacySegment[]) => Promise<void>;
  /** Learning-rate changes made earlier in this run (stored with it): a resumed run follows them. */
  lrChanges?: readonly LrChange[];
  /** Evaluate every this many steps (default config.train.evalEvery; Infinity: only the last step). */
  evalEvery?: number;
  /** Also evaluate after step 1 (default true: the live view's first point; a sweep cell needs only its end). */
  evalFirst?: boolean;
  /** Draw the decision boundary of a 2D set at each evaluation (default true; a host that draws nothing saves its cost). */
  boundary?: boolean;
  /** Train this run, already created from `config` and `data` by a host that read its plan first, instead of creating one. */
  run?: TrainingRun;
}

/** Default checkpoint interval: frequent enough that a reload loses little, rare enough to cost nothing. */
export const CHECKPOINT_EVERY = 25;

/** The longest live refresh interval of the gradient plane, in steps. */
const MAX_PLANE_EVERY = 10_000;

/**
 * Drives one run: start / pause / step / reset, the step loop, periodic evaluation and the decision
 * boundary, and turns what happens into protocol events. The worker owns one per run; Node can use
 * it too. It never touches the DOM or the worker API: events go to `emit`.
 */
export class RunController {
  private run: TrainingRun;
  private state: RunState = 'idle';
  private loop: Promise<void> | null = null;
  private readonly yieldToEvents: () => Promise<void>;
  private divergence: DivergenceWatch;
  private readonly onCheckpoint?: (checkpoint: RunCheckpoint) => Promise<void> | void;
  private readonly onRelease?: (history: PrivacySegment[]) => Promise<void>;
  private readonly checkpointEvery: number;
  private readonly evalEvery: number;
  private readonly evalFirst: boolean;
  private readonly drawBoundary: boolean;

  /** Set when the owner gives up on this run (its device is gone): nothing more is emitted or saved. */
  private detached = false;
  private readonly emit: (e: RunEvent) => void;

  constructor(
    readonly runId: RunId,
    readonly config: RunConfig,
    private readonly data: DatasetSplit,
    emit: (e: RunEvent) => void,
    options: ControllerOptions = {},
  ) {
    this.emit = (e) => {
      if (!this.detached) emit(e);
    };
    this.yieldToEvents = options.yieldToEvents ?? (() => new Promise((r) => setTimeout(r, 0)));
    this.onCheckpoint = options.onCheckpoint;
    this.onRelease = options.onRelease;
    this.checkpointEvery = options.checkpointEvery ?? CHECKPOINT_EVERY;
    this.evalEvery = options.evalEvery ?? config.train.evalEvery;
    this.evalFirst = options.evalFirst ?? true;
    this.drawBoundary = options.boundary ?? true;
    if (options.run && (options.run.config !== config || options.run.data !== data)) {
      throw new Error('RunController: the run given was created from another config or data');
    }
    this.run = options.run ?? TrainingRun.create(config, data, options.checkpoint, options.released, options.lrChanges);
    this.divergence = new DivergenceWatch(config.privacy.enabled);
    const { train } = data;
    const is2d = train.inputShape.length === 1 && train.inputShape[0] === 2;
    this.emit({
      type: 'created',
      runId,
      summary: runSummary(this.run),
      preview: is2d ? { x: train.x.slice(), y: train.y.slice() } : undefined,
    });
    // A run done before it starts (its budget allows no step, or it is restored finished) says why.
    this.setState(this.run.done ? 'done' : this.run.step > 0 ? 'paused' : 'idle', this.run.done ? this.run.stopReason : undefined);
  }

  get currentState(): RunState {
    return this.state;
  }

  /** Train until paused or done. */
  start(): void {
    if (this.state === 'running' || this.state === 'done' || this.state === 'error') return;
    this.setState('running');
    this.loop = this.runLoop();
  }

  /**
   * Stop after the step in flight. 'paused' is announced only once the loop has really stopped (and
   * checkpointed), so no metric arrives after the UI shows the run as paused.
   */
  pause(): void {
    if (this.state === 'running') this.pauseRequested = true;
  }

  /** Exactly one step, from idle or paused; `inspect` also reports the step's inner workings. */
  async stepOnce(inspect = false): Promise<void> {
    if (this.state === 'running' || this.state === 'done' || this.state === 'error') return;
    await this.loop; // a just-paused loop may still be finishing its last step
    if (this.run.done) {
      this.setState('done', this.run.stopReason);
      return;
    }
    const ok = await this.guard(() => this.oneStep(true, inspect));
    if (ok) {
      await this.saveCheckpoint();
      this.setState(this.run.done ? 'done' : 'paused', this.run.done ? this.run.stopReason : undefined);
    }
  }

  /** Back to step 0 with a freshly initialised model (same seed, so the same start). */
  async reset(): Promise<void> {
    this.pause();
    await this.loop;
    const hadChanges = this.run.lrChanges.length > 0;
    this.run.dispose();
    this.run = TrainingRun.create(this.config, this.data);
    this.divergence = new DivergenceWatch(this.config.privacy.enabled);
    // The new start follows the config's learning rate again.
    if (hadChanges) this.emit({ type: 'learningRate', runId: this.runId, changes: [] });
    // The saved run starts over too: a reset run is a new run with its own ε, as a removed and re-created one would be.
    if (this.run.privacy.enabled && !this.detached) await this.onRelease?.([]);
    await this.saveCheckpoint();
    this.setState('idle');
  }

  async dispose(): Promise<void> {
    this.pause();
    await this.loop;
    this.run.dispose();
  }

  /**
   * Abandon this run without touching its tensors (their GPU device is lost): the loop stops after
   * the step in flight, and no further event or checkpoint comes from it. The run continues from its
   * last saved checkpoint in a new controller.
   */
  detach(): void {
    this.detached = true;
    this.pauseRequested = true;
  }

  /** Resolves when the current loop (if any) has stopped; for tests and the CLI. */
  async settled(): Promise<void> {
    await this.loop;
  }

  private pauseRequested = false;

  /**
   * Change the learning rate of a run that trains or is paused, from its next step on (see
   * TrainingRun.setLearningRate), and announce the run's changes so far. A bad rate, or a run that is
   * over, changes nothing: the reason is reported without failing the run.
   */
  setLearningRate(lr: number): void {
    if (this.state === 'done' || this.state === 'error') {
      this.emit({ type: 'error', message: `The learning rate of a finished run cannot change (the run is ${this.state}).` });
      return;
    }
    try {
      this.run.setLearningRate(lr);
    } catch (e) {
      this.emit({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    this.emit({ type: 'learningRate', runId: this.runId, changes: [...this.run.lrChanges] });
  }

  /** Live gradient plane: every this many steps (0: only on inspected steps). */
  private planeEvery = 0;
  /** The next step shows the plane whatever its number: turning the refresh on draws a picture at once. */
  private planeDue = false;

  /**
   * Refresh the gradient plane on the next step and then every `every` steps while training (0 turns
   * the live refresh off).
   */
  setPlaneRefresh(every: number): void {
    if (!(Number.isInteger(every) && every >= 0 && every <= MAX_PLANE_EVERY)) {
      throw new RangeError(`planeLive.every must be an integer from 0 (off) to ${MAX_PLANE_EVERY}, got ${every}`);
    }
    this.planeEvery = every;
    this.planeDue = every > 0;
  }

  private async runLoop(): Promise<void> {
    this.pauseRequested = false;
    while (this.state === 'running' && !this.pauseRequested) {
      if (this.run.done) {
        this.setState('done', this.run.stopReason);
        return;
      }
      // The turn of the event loop that lets commands in is taken while the step runs (it overlaps the
      // step's device reads and its privacy record) instead of after it, so it costs the step nothing.
      const turn = this.yieldToEvents();
      const ok = await this.guard(() => this.oneStep(false));
      if (!ok) return;
      if (this.run.done) {
        await this.saveCheckpoint();
        this.setState('done', this.run.stopReason);
        return;
      }
      if (this.run.step % this.checkpointEvery === 0) await this.saveCheckpoint();
      await turn;
    }
    // Paused: keep the exact point to continue from, then say so.
    if (this.state === 'running' && this.pauseRequested) {
      this.pauseRequested = false;
      await this.saveCheckpoint();
      this.setState('paused');
    }
  }

  /**
   * The step just taken is about to be shown: record its privacy spend first. Returns at once for a
   * non-private run or without a recorder; rejects (stopping the run) when the record fails.
   */
  private async release(step: number): Promise<void> {
    if (!this.onRelease || !this.run.privacy.enabled || this.detached) return;
    try {
      await this.onRelease(this.run.ledger.history());
    } catch (e) {
      throw new Error(
        `The privacy spent by step ${step} could not be saved (${e instanceof Error ? e.message : String(e)}), so the run stopped before showing it: a reload must never count fewer steps than were shown.`,
        { cause: e },
      );
    }
  }

  /** Hands a checkpoint to the owner (the worker persists it); a failure never stops training. */
  private async saveCheckpoint(): Promise<void> {
    if (!this.onCheckpoint || this.detached) return;
    try {
      await this.onCheckpoint(await this.run.checkpoint());
    } catch (e) {
      this.emit({ type: 'error', runId: undefined, message: `Saving a checkpoint failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  private async oneStep(forceEval: boolean, inspect = false): Promise<void> {
    const next = this.run.step + 1;
    const showPlane = inspect || this.planeDue || (this.planeEvery > 0 && next % this.planeEvery === 0);
    this.planeDue = false;
    const { point, stats, inspection, plane } = await this.run.trainStep({ inspect, plane: showPlane });
    const step = point.step;
    // The record is written while the step is evaluated; nothing of the step is emitted before it lands.
    const recorded = this.release(step);
    recorded.catch(() => undefined); // awaited below; a rejection before then is not unhandled
    const verdict = this.divergence.check(step, point.loss);
    if (verdict) {
      // The run ends here, and like every run its last point carries an evaluation (no boundary: the model is broken).
      const last = await this.evaluated(point);
      await recorded;
      this.emit({ type: 'metrics', runId: this.runId, points: [last] });
      throw new TrainingDiverged(step, verdict.reason);
    }
    const evalDue = forceEval || this.run.done || (step === 1 && this.evalFirst) || step % this.evalEvery === 0;
    let full: MetricPoint = point;
    let boundary: RunEvent | null = null;
    if (evalDue) {
      full = await this.evaluated(point);
      boundary = await this.boundary(step);
    }
    await recorded;
    if (boundary) this.emit(boundary);
    if (stats && this.run.privacy.enabled) {
      full.signalNorm = stats.clippedSumNorm;
      full.noiseNorm = stats.noiseNorm;
    }
    const gradStats = stats ? toGradStats(step, stats, this.run.privacy.clip) : undefined;
    // The inspection needs its own copy: posting gradStats transfers (detaches) its buffers.
    const inspectedStats = inspection && gradStats ? copyGradStats(gradStats) : undefined;
    if (gradStats) this.emit({ type: 'gradStats', runId: this.runId, stats: gradStats });
    this.emit({ type: 'metrics', runId: this.runId, points: [full] });
    if (plane instanceof Error) {
      this.emit({ type: 'error', runId: undefined, message: `No gradient plane for step ${step}: ${plane.message}` });
    } else if (plane) {
      this.emit({ type: 'gradientPlane', runId: this.runId, plane });
    }
    if (inspection) {
      this.emit({
        type: 'inspection',
        runId: this.runId,
        inspection: {
          step,
          ...inspection,
          expectedBatchSize: this.config.train.batchSize,
          loss: point.loss,
          stats: inspectedStats,
          noiseStd: this.run.privacy.noiseStd,
        },
      });
    }
  }

  /** The step's point with the model's accuracy and loss, and for a private run ε by its accountant. */
  private async evaluated(point: MetricPoint): Promise<MetricPoint> {
    const full: MetricPoint = { ...point, ...(await this.run.evaluate()) };
    if (this.run.privacy.enabled) full.epsilon = this.run.ledger.epsilon();
    return full;
  }

  private async boundary(step: number): Promise<RunEvent | null> {
    const shape = this.data.train.inputShape;
    if (!this.drawBoundary || !(shape.length === 1 && shape[0] === 2)) return null;
    const grid = decisionGrid(BOUNDARY_RESOLUTION, BOUNDARY_EXTENT);
    const rows = BOUNDARY_RESOLUTION * BOUNDARY_RESOLUTION;
    const probs = await this.run.predictProba(grid, rows);
    const k = this.data.train.numClasses;
    const values = new Float32Array(rows);
    for (let i = 0; i < rows; i++) values[i] = probs[i * k + Math.min(1, k - 1)];
    return { type: 'boundary', runId: this.runId, step, resolution: BOUNDARY_RESOLUTION, extent: BOUNDARY_EXTENT, values };
  }

  /** Runs a step; on failure the run stops with the error's message instead of crashing the worker. */
  private async guard(f: () => Promise<void>): Promise<boolean> {
    try {
      await f();
      return true;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.setState('error', message, e instanceof TrainingDiverged ? e.step : undefined);
      return false;
    }
  }

  private setState(state: RunState, message?: string, divergedAt?: number): void {
    this.state = state;
    this.emit({ type: 'state', runId: this.runId, state, message, ...(divergedAt !== undefined && { divergedAt }) });
  }
}

/** What the run is, as its 'created' event announces it. */
function runSummary(run: TrainingRun): RunSummary {
  const p = run.privacy;
  return {
    dataset: datasetMeta(run.data),
    totalSteps: run.totalSteps,
    sigma: p.sigma,
    privacy: {
      enabled: p.enabled,
      sampleRate: p.sampleRate,
      delta: p.delta,
      accountant: p.accountantName,
      projectedEpsilon: p.projectedEpsilon,
      notes: p.notes,
      ...p.caveats,
    },
  };
}
