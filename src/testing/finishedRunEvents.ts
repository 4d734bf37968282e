import type { WorkerEvent } from '../protocol/messages';

/**
 * The events the worker sends for a private spirals run that trains to its end: created (σ, planned
 * steps), its last step evaluated (test accuracy, ε), done. For store tests against a fake worker.
 */
export function finishedRunEvents(
  runId: string,
  run: { testAcc: number; epsilon?: number; steps?: number; sigma?: number },
): WorkerEvent[] {
  const { testAcc, epsilon = 3, steps = 292, sigma = 2.2 } = run;
  return [
    {
      v: 1,
      type: 'created',
      runId,
      summary: {
        dataset: { name: 'spirals', source: 'synthetic', trainSize: 3000, testSize: 1000, inputShape: [2], numClasses: 2 },
        totalSteps: steps,
        sigma,
        privacy: {
          enabled: true,
          sampleRate: 0.085,
          delta: 1e-5,
          accountant: 'prv',
          notCoveredByAccountant: false,
          seededRandomness: true,
          projectedEpsilon: epsilon,
          notes: [],
        },
      },
    },
    {
      v: 1,
      type: 'metrics',
      runId,
      points: [{ step: steps, epoch: 25, loss: 0.2, batchSize: 256, samplesPerSec: 1000, elapsedMs: 1, testAcc, epsilon }],
    },
    { v: 1, type: 'state', runId, state: 'done' },
  ];
}
