import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../src/config/runConfig';
import type { BackendInfo, BackendName, BackendTrial } from '../src/domain/backend';
import { activateBackend, describeBackend, softwareAdapter, unavailableReason } from './backend';
import { isSmallModel, timeBackends, type ExampleShape } from './backendTrial';

/**
 * Backends the trial times, fastest-to-start first so the 2 s budget goes to the likely winners (WebGL
 * is left to fallbacks: it shares WebGPU's adapter). WebGPU is timed on a hardware adapter only.
 */
const TRIAL_CANDIDATES: BackendName[] = ['wasm', 'cpu'];

/**
 * Puts TF.js on the backend a new run should train on, and returns what to tell the UI (null when
 * nothing changed). A backend named in the config is taken when it starts. 'auto' times the run's
 * step on each backend when WebGPU is a software adapter (then WebGPU itself is not timed) or missing,
 * or the model is small, once per worker and only while no other run holds tensors (switching under
 * a live run would move its weights).
 */
export class BackendChoice {
  private measured = false;

  async forRun(config: RunConfig, shape: ExampleShape, otherRunsLive: boolean): Promise<BackendInfo | null> {
    const wanted = config.engine.backend;
    if (wanted !== 'auto') {
      const before = tf.getBackend() as BackendName;
      const ok = await activateBackend(wanted);
      const info = await describeBackend(ok ? wanted : before);
      info.chosenBy = 'user';
      if (!ok)
        info.fallbackReason = `${wanted} was asked for but cannot start: ${(await unavailableReason(wanted)) ?? 'it failed to initialise'}`;
      return info;
    }
    if (this.measured || otherRunsLive) return null;
    const software = await softwareAdapter();
    if (!(tf.getBackend() !== 'webgpu' || software || isSmallModel(config, shape))) return null;
    this.measured = true;
    const before = tf.getBackend() as BackendName;
    const started = performance.now();
    // A software adapter's first step compiles every shader on the CPU: 20 s to minutes on SwiftShader
    // (docs/PERFORMANCE.md), a hundred times the budget, for a pace far below WebAssembly's.
    const skipped: BackendTrial[] = software
      ? [{ name: 'webgpu', samplesPerSec: 0, failed: `a software GPU, ${software}: too slow to test` }]
      : [];
    const timed = await timeBackends(config, shape, software ? TRIAL_CANDIDATES : ['webgpu', ...TRIAL_CANDIDATES], activateBackend);
    const trial = [...timed, ...skipped];
    const trialMs = performance.now() - started;
    const winner = trial.find((t) => t.samplesPerSec > 0);
    // Nothing ran (or the winner will not start again): train where the worker was, and say why.
    if (!winner || !(await activateBackend(winner.name))) {
      await activateBackend(before);
      const info = await describeBackend(tf.getBackend() as BackendName);
      info.chosenBy = 'first available';
      info.fallbackReason = `no backend finished the timing trial (${trial.map((t) => `${t.name}: ${t.failed ?? 'did not restart'}`).join('; ')})`;
      return info;
    }
    const info = await describeBackend(winner.name);
    info.chosenBy = 'measurement';
    info.trial = trial;
    info.trialMs = trialMs;
    return info;
  }
}
