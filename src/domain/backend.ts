export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

/** The TF.js backend the training really got, after any fallback. */
export interface BackendInfo {
  name: BackendName;
  /** How it was chosen: the first that starts, or by the user (config / URL `backend=`). */
  chosenBy?: 'first available' | 'user';
  /** Adapter description for WebGPU (vendor / architecture / device), when the browser tells. */
  adapter?: string;
  /** Why better backends were skipped, e.g. "WebGPU: no adapter (navigator.gpu missing)". */
  fallbackReason?: string;
}
