import type { BackendInfo } from '../domain/backend';

/** What the worker runs on, and the last problem not tied to a run. */
export interface StatusSlice {
  backend: BackendInfo | null;
  /** Last error not tied to a run (worker crash, protocol mismatch, an invalid draft). */
  globalError: string | null;
}

export const initialStatus = (): StatusSlice => ({ backend: null, globalError: null });
