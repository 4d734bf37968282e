import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../src/config/runConfig';
import type { BackendInfo, BackendName } from '../src/domain/backend';
import { activateBackend, describeBackend } from './backend';

/**
 * Puts TF.js on the backend a new run should train on, and returns what to tell the UI (null when
 * nothing changed). A backend named in the config is taken when it starts here; otherwise TF.js
 * stays where it is and the UI hears why. 'auto' keeps the backend the worker started on.
 */
export class BackendChoice {
  async forRun(config: RunConfig): Promise<BackendInfo | null> {
    const wanted = config.engine.backend;
    if (wanted === 'auto') return null;
    const before = tf.getBackend() as BackendName;
    const ok = await activateBackend(wanted);
    const info = await describeBackend(ok ? wanted : before);
    info.chosenBy = 'user';
    if (!ok) info.fallbackReason = `${wanted} was asked for but cannot start in this browser`;
    return info;
  }
}
