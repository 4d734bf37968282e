export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

/** The TF.js backend the training really got, after any fallback. */
export interface BackendInfo {
  name: BackendName;
  /** How it was chosen: the first that starts, by timing the run's step on each, or by the user. */
  chosenBy?: 'first available' | 'measurement' | 'user';
  /** The timings behind a choice by measurement, fastest first. */
  trial?: BackendTrial[];
  /** Wall-clock time the whole trial took, in ms. */
  trialMs?: number;
  /** Adapter description for WebGPU (vendor / architecture / device), when the browser tells. */
  adapter?: string;
  /** Why better backends were skipped, e.g. "WebGPU: no adapter (navigator.gpu missing)". */
  fallbackReason?: string;
}

/** One backend's pace in the start-up trial of a run's own step (0 with `failed` when it could not run). */
export interface BackendTrial {
  name: BackendName;
  samplesPerSec: number;
  failed?: string;
  /** Time this backend's part of the trial took (start, warm-up and timed steps), in ms. */
  ms?: number;
  /** Of `ms`, the time the backend took to start (e.g. fetching and compiling WebAssembly). */
  startMs?: number;
}
