import type { MetricPoint } from '../domain/metricPoint';
import type { RunId } from '../domain/run';
import type { WorkerEvent } from '../protocol/messages';
import type { ConfigSlice } from './configSlice';
import type { DataSlice } from './dataSlice';
import { isBackgroundRunId } from './ids';
import { updateRun } from './runView';
import type { RunsFileSlice } from './runsFileSlice';
import { MAX_RUNS, type RunsSlice } from './runsSlice';
import type { StatusSlice } from './statusSlice';

/** The parts of the store the worker's events change. */
export type EventState = Pick<RunsSlice, 'runs' | 'order' | 'activeRunId'> &
  StatusSlice &
  Pick<DataSlice, 'imported' | 'importing' | 'importError'> &
  Pick<ConfigSlice, 'draft'> &
  Pick<RunsFileSlice, 'runsExport' | 'runsImportError'>;

/**
 * Folds a frame's worth of worker events into the store in one update: what changed, as a patch of
 * `s`. Pure (`now` stamps an export), so a test can feed it any sequence of events.
 */
export function reduceWorkerEvents(s: EventState, events: readonly WorkerEvent[], now = Date.now()): Partial<EventState> {
  const runs = { ...s.runs };
  let { backend, globalError, imported, importing, importError, draft, runsExport, runsImportError } = s;
  let order = s.order;
  let activeRunId = s.activeRunId;
  // A frame may carry many metric batches per run: gather them, copy each run's series once.
  const grown = new Map<RunId, MetricPoint[]>();
  for (const e of events) {
    switch (e.type) {
      case 'backend':
        backend = e.info;
        break;
      case 'created':
        updateRun(runs, e.runId, (r) => ({ ...r, summary: e.summary, preview: e.preview }));
        break;
      case 'state':
        updateRun(runs, e.runId, (r) => ({ ...r, state: e.state, message: e.message }));
        break;
      case 'metrics': {
        if (!runs[e.runId]) break;
        const acc = grown.get(e.runId) ?? [...runs[e.runId].metrics];
        for (const p of e.points) acc.push(p);
        grown.set(e.runId, acc);
        break;
      }
      case 'learningRate':
        updateRun(runs, e.runId, (r) => ({ ...r, lrChanges: e.changes }));
        break;
      case 'gradStats':
        updateRun(runs, e.runId, (r) => ({ ...r, gradStats: e.stats }));
        break;
      case 'inspection':
        updateRun(runs, e.runId, (r) => ({ ...r, inspection: e.inspection }));
        break;
      case 'boundary': {
        const { step, resolution, extent, values } = e;
        updateRun(runs, e.runId, (r) => ({ ...r, boundary: { step, resolution, extent, values } }));
        break;
      }
      case 'savedRuns': {
        // Runs from storage (after a reload): shown paused at their checkpoint, newest kept.
        const restored = [...order];
        for (const r of e.runs) {
          if (runs[r.id]) continue;
          runs[r.id] = {
            id: r.id,
            config: r.config,
            label: r.label,
            color: r.color,
            state: r.state === 'running' ? 'paused' : r.state,
            message: r.state === 'running' ? `Restored after a reload at step ${r.checkpointStep}; press ▶ to continue.` : r.message,
            summary: r.summary ?? undefined,
            metrics: r.metrics,
            epsilonFloor: r.epsilonSpent ?? undefined,
            lrChanges: r.lrChanges,
          };
          restored.unshift(r.id);
        }
        order = restored.slice(-MAX_RUNS);
        activeRunId ??= order[order.length - 1] ?? null;
        break;
      }
      case 'rewound': {
        const r = runs[e.runId];
        if (r) {
          grown.set(
            e.runId,
            (grown.get(e.runId) ?? r.metrics).filter((p) => p.step <= e.step),
          );
          if (e.epsilonSpent !== null)
            updateRun(runs, e.runId, (v) => ({ ...v, epsilonFloor: Math.max(v.epsilonFloor ?? 0, e.epsilonSpent!) }));
        }
        break;
      }
      case 'runsExport':
        runsExport = { text: e.text, at: now };
        break;
      case 'runsImportFailed':
        runsImportError = e.message;
        break;
      case 'datasetImported':
        imported = [...imported, { id: e.importId, meta: e.dataset, format: e.format, notes: e.notes }];
        importing = false;
        importError = null;
        draft = { ...draft, data: { source: 'imported', id: e.importId, name: e.dataset.name } };
        break;
      case 'datasetImportFailed':
        importing = false;
        importError = e.message;
        break;
      case 'error':
        if (e.runId && runs[e.runId]) updateRun(runs, e.runId, (r) => ({ ...r, state: 'error', message: e.message }));
        else if (!(e.runId && isBackgroundRunId(e.runId))) globalError = e.message; // sweep cells and Compare's runs record their own failures
        break;
    }
  }
  for (const [id, metrics] of grown) updateRun(runs, id, (r) => ({ ...r, metrics }));
  return { runs, order, activeRunId, backend, globalError, imported, importing, importError, draft, runsExport, runsImportError };
}
