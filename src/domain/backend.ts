export type BackendName = 'webgpu' | 'webgl' | 'cpu';

/** The TF.js backend the training really got, after any fallback. */
export interface BackendInfo {
  name: BackendName;
  /** Adapter description for WebGPU (vendor / architecture / device), when the browser tells. */
  adapter?: string;
  /** Why better backends were skipped, e.g. "WebGPU: no adapter (navigator.gpu missing)". */
  fallbackReason?: string;
}
