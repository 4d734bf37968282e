import type { RunConfig } from '../config/runConfig';
import type { SetState } from './sliceTypes';

export interface ConfigSlice {
  /** The configuration being edited; runs copy it when created. */
  draft: RunConfig;
  setDraft(update: (c: RunConfig) => RunConfig): void;
}

export function createConfigSlice(set: SetState<ConfigSlice>, initialDraft: RunConfig): ConfigSlice {
  return { draft: initialDraft, setDraft: (update) => set((s) => ({ draft: update(s.draft) })) };
}
