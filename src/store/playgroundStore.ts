import { createStore } from 'zustand/vanilla';
import { defaultRunConfig, type RunConfig } from '../config/runConfig';
import type { Hideable, SweepGridDraft } from '../config/urlCodec';
import type { WorkerEvent } from '../protocol/messages';
import { applyCompareEvents, createCompareSlice, type CompareSlice } from './compareSlice';
import { createConfigSlice, type ConfigSlice } from './configSlice';
import { createDataSlice, type DataSlice } from './dataSlice';
import { createLearningRateSlice, type LearningRateSlice } from './learningRateSlice';
import { applyLessonEvents, createLessonSlice, type LessonSlice } from './lessonSlice';
import { createPlaneSlice, type PlaneSlice } from './planeSlice';
import { createRunsFileSlice, type RunsFileSlice } from './runsFileSlice';
import { createRunsSlice, type RunsSlice } from './runsSlice';
import type { CommandSink } from './sliceTypes';
import { initialStatus, type StatusSlice } from './statusSlice';
import { applySweepEvents, createSweepSlice, type SweepSlice } from './sweepSlice';
import { createViewSlice, type ViewSlice } from './viewSlice';
import { reduceWorkerEvents } from './workerEvents';

/**
 * The page's state: one slice per concern, each in its own file (src/store/*Slice.ts), reading and
 * writing only the parts it declares; derived values are selectors (selectors.ts). This file only
 * puts the slices together and routes the worker's events: the runs' reducer (workerEvents.ts), the
 * sweep, Compare and the lesson's background seeds. A new feature adds its own slice file here with a few lines.
 */
export type PlaygroundState = StatusSlice &
  DataSlice &
  ConfigSlice &
  RunsSlice &
  ViewSlice &
  SweepSlice &
  RunsFileSlice &
  PlaneSlice &
  LessonSlice &
  LearningRateSlice &
  CompareSlice & {
    /** Apply a frame's worth of worker events in one update. */
    applyEvents(events: WorkerEvent[]): void;
  };

export function createPlaygroundStore(
  sink: CommandSink,
  initialDraft: RunConfig = defaultRunConfig(),
  initialHidden: Hideable[] = [],
  initialSweepGrid?: SweepGridDraft,
) {
  return createStore<PlaygroundState>()((set, get) => ({
    ...initialStatus(),
    ...createDataSlice(set, sink),
    ...createConfigSlice(set, initialDraft),
    ...createRunsFileSlice(set, sink),
    ...createSweepSlice(set, get, sink, initialSweepGrid),
    ...createViewSlice(set, initialHidden),
    ...createRunsSlice(set, get, sink),
    ...createPlaneSlice(set, get, sink),
    ...createLearningRateSlice(set, get, sink),
    ...createCompareSlice(set, get, sink),
    ...createLessonSlice(set, get, sink, typeof localStorage === 'undefined' ? undefined : localStorage),
    applyEvents(events) {
      applySweepEvents(set, get, sink, events);
      applyCompareEvents(set, get, sink, events);
      get().applyPlaneEvents(events);
      set((s) => reduceWorkerEvents(s, events));
      applyLessonEvents(set, get, sink, events); // after the runs: it reads whether the lesson's runs are done
    },
  }));
}

export type PlaygroundStore = ReturnType<typeof createPlaygroundStore>;
