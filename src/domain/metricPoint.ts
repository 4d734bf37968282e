/** One point of a run's metric stream. Accuracy and ε are present on the steps where they were computed. */
export interface MetricPoint {
  step: number;
  epoch: number;
  loss: number;
  /** Real (unpadded) examples in this step's batch. */
  batchSize: number;
  trainAcc?: number;
  testAcc?: number;
  testLoss?: number;
  /** ε by the run's accountant (PRV by default), on evaluation steps of private runs. */
  epsilon?: number;
  /** RDP upper bound on ε, every step of a private run (cheap, always ≥ the PRV value). */
  epsilonRdp?: number;
  /** Private runs: ‖Σ Cᵢgᵢ‖ (the clipped signal) and ‖z‖ (the noise added to it) this step. */
  signalNorm?: number;
  noiseNorm?: number;
  /** Wall-clock throughput over the last step. */
  samplesPerSec: number;
  /** Time spent training so far (pauses excluded), in ms. */
  elapsedMs: number;
}
