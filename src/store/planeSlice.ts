import type { GradientPlane } from '../domain/gradientPlane';
import type { RunId } from '../domain/run';
import type { CommandBody, WorkerEvent } from '../protocol/messages';
import { isBackgroundRunId } from './ids';

/** The gradient plane's state: the latest plane of each run, and the live refresh interval. */
export interface PlaneSlice {
  /** Latest gradient plane per run (from an inspected step or a live refresh). */
  planes: Record<RunId, GradientPlane>;
  /** Live refresh every this many steps; 0: only inspected steps draw the plane. */
  planeLiveEvery: number;
  /** Ask the worker to refresh the active run's plane every `every` steps (0: off); runs created later follow. */
  setPlaneLive(every: number): void;
  /** Takes a frame's worker events: keeps new planes, and passes the live refresh on to new runs. */
  applyPlaneEvents(events: readonly WorkerEvent[]): void;
}

/** The slice, given the store's getter and setter and the worker connection. */
export function createPlaneSlice(
  set: (p: Partial<PlaneSlice>) => void,
  get: () => PlaneSlice & { activeRunId: RunId | null },
  sink: { send(c: CommandBody): void },
): PlaneSlice {
  return {
    planes: {},
    planeLiveEvery: 0,
    setPlaneLive(every) {
      set({ planeLiveEvery: every });
      const id = get().activeRunId;
      if (id) sink.send({ type: 'planeLive', runId: id, every });
    },
    applyPlaneEvents(events) {
      let planes: Record<RunId, GradientPlane> | null = null;
      const every = get().planeLiveEvery;
      for (const e of events) {
        if (e.type === 'gradientPlane') {
          planes ??= { ...get().planes };
          planes[e.runId] = e.plane;
        } else if (e.type === 'created' && every > 0 && !isBackgroundRunId(e.runId)) {
          sink.send({ type: 'planeLive', runId: e.runId, every });
        }
      }
      if (planes) set({ planes });
    },
  };
}
