import type { RunConfig } from '../src/config/runConfig';
import { ensureDpKernels } from '../src/dp/path';
import { TrainingRun } from '../src/engine/trainingRun';
import type { BackendName, BackendTrial } from '../src/domain/backend';

/** Wall-clock budget of the whole trial (issue 17: under 2 s); each backend gets its share. */
export const TRIAL_BUDGET_MS = 2000;
const TIMED_STEPS = 3;

/** What the trial knows of the run's data: the shape of one example and the classes, never an example. */
export interface ExampleShape {
  readonly inputShape: readonly number[];
  readonly numClasses: number;
}

/**
 * Times the run's own step (its model, batch size and DP step, with noise) on each backend and
 * returns samples/s per backend, fastest first. The steps train a throwaway run on stand-in data of
 * the run's shape, with its own noise, sampler and ledger: the trial reads no training example,
 * spends no privacy and draws nothing from the run's random streams; only its timing is kept. Each
 * backend gets one untimed warm-up step (shader compilation, WASM start-up), then up to TIMED_STEPS
 * timed ones within its share of the budget; a backend reached after the budget is spent is not
 * timed. A backend that cannot start, fails or is not timed is kept, with samplesPerSec 0 and its
 * reason, so the user sees why it was skipped.
 */
export async function timeBackends(
  config: RunConfig,
  shape: ExampleShape,
  candidates: readonly BackendName[],
  activate: (name: BackendName) => Promise<boolean>,
): Promise<BackendTrial[]> {
  const share = TRIAL_BUDGET_MS / Math.max(1, candidates.length);
  const trialEnds = performance.now() + TRIAL_BUDGET_MS;
  const results: BackendTrial[] = [];
  const trialConfig = throwawayConfig(config);
  for (const name of candidates) {
    const started = performance.now();
    let run: TrainingRun | null = null;
    try {
      if (results.length > 0 && started >= trialEnds) {
        results.push({ name, samplesPerSec: 0, failed: `the test's ${TRIAL_BUDGET_MS / 1000} s were spent` });
        continue;
      }
      if (!(await activate(name))) {
        results.push({ name, samplesPerSec: 0, failed: 'could not start in this browser' });
        continue;
      }
      const startMs = performance.now() - started;
      await ensureDpKernels();
      run = TrainingRun.create(trialConfig, standInData(shape, config.train.batchSize));
      const deadline = Math.min(started + share, trialEnds);
      await run.trainStep(); // warm-up: compilation and first uploads are not the steady pace
      let samples = 0;
      let ms = 0;
      for (let i = 0; i < TIMED_STEPS && (i === 0 || performance.now() < deadline); i++) {
        const { point } = await run.trainStep();
        samples += point.batchSize;
        ms += (point.batchSize * 1000) / point.samplesPerSec;
      }
      const samplesPerSec = (samples * 1000) / Math.max(ms, 1e-3);
      if (!Number.isFinite(samplesPerSec) || samplesPerSec <= 0) throw new Error(`no pace measured (${samples} samples in ${ms} ms)`);
      results.push({ name, samplesPerSec, ms: performance.now() - started, startMs });
    } catch (e) {
      results.push({ name, samplesPerSec: 0, failed: e instanceof Error ? e.message : String(e), ms: performance.now() - started });
    } finally {
      run?.dispose();
    }
  }
  return results.sort((a, b) => b.samplesPerSec - a.samplesPerSec);
}

/** The run's config with a fixed σ (no calibration: the trial only needs the step's cost) and no budget. */
function throwawayConfig(config: RunConfig): RunConfig {
  if (!config.privacy.enabled) return config;
  return { ...config, privacy: { ...config.privacy, noise: { mode: 'sigma', sigma: 1 }, budgetEpsilon: null } };
}

/** Stand-in examples with the run's input shape and classes: deterministic values, no real data. */
function standInData(shape: ExampleShape, batchSize: number) {
  const { inputShape, numClasses } = shape;
  const rows = Math.max(2 * batchSize, numClasses);
  const width = inputShape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: rows * width }, (_, i) => Math.sin(i * 0.7));
  const y = Int32Array.from({ length: rows }, (_, i) => i % numClasses);
  const set = { name: 'backend trial', source: 'stand-in', x, y, inputShape, numClasses };
  return { train: set, test: { ...set, x: x.subarray(0, numClasses * width), y: y.subarray(0, numClasses) } };
}

/** Parameters below which launch overhead, not arithmetic, sets a GPU step's pace. */
const SMALL_MODEL_PARAMS = 100_000;

/** Whether the run's model is small enough that a CPU backend may beat a real GPU (dense models only). */
export function isSmallModel(config: RunConfig, shape: ExampleShape): boolean {
  const model = config.model;
  if (model.preset === 'cnn') return false;
  const widths = [shape.inputShape.reduce((a, b) => a * b, 1), ...(model.preset === 'mlp' ? model.hidden : []), shape.numClasses];
  let params = 0;
  for (let i = 1; i < widths.length; i++) params += (widths[i - 1] + 1) * widths[i];
  return params < SMALL_MODEL_PARAMS;
}
