/**
 * The run queue shared by the store's sweep and Compare and by the CLI: planned order, at most K at
 * once, a finished run (done or failed) makes room for the next, cancel drops the rest, and no run is
 * launched twice. The property runs from the suite's fixed seed (src/testing/propertySeed.ts;
 * FC_SEED=random for a fresh one).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cancelRunQueue, createRunQueue, drainRunQueue, finishRun, launchRuns, type RunQueue } from './runQueue';

/** Run ids as a host would make them: unique, unrelated to the run. */
function idMaker() {
  let n = 0;
  return () => `run-${n++}`;
}

function launch<T>(q: RunQueue<T>, newId: () => string) {
  const step = launchRuns(q, newId);
  return { q: step.queue, ids: step.launched.map((l) => l.runId), runs: step.launched.map((l) => l.run) };
}

describe('run queue', () => {
  it('launches in planned order, at most K at once, and the next planned run when one finishes', () => {
    const newId = idMaker();
    const first = launch(createRunQueue(['a', 'b', 'c', 'd', 'e'], 2), newId);
    const ids = first.ids;
    let { q, runs } = first;
    expect(runs).toEqual(['a', 'b']);
    expect(q.pending).toEqual(['c', 'd', 'e']);
    expect(q.status).toBe('running');
    // Nothing more fits until a run ends.
    expect(launch(q, newId).runs).toEqual([]);
    // The second run ends first: the next planned run ('c') takes its place.
    q = finishRun(q, ids[1], 'done')!.queue;
    ({ q, runs } = launch(q, newId));
    expect(runs).toEqual(['c']);
    expect(Object.values(q.active)).toEqual(['a', 'c']);
    expect(q.finished).toEqual([{ run: 'b', outcome: 'done' }]);
  });

  it('a failed run still makes room for the next, and is recorded as failed', () => {
    const newId = idMaker();
    let { q, ids } = launch(createRunQueue([1, 2, 3], 1), newId);
    const ended = finishRun(q, ids[0], 'failed')!;
    expect(ended.run).toBe(1);
    ({ q, ids } = launch(ended.queue, newId));
    expect(Object.values(q.active)).toEqual([2]);
    q = finishRun(q, ids[0], 'done')!.queue;
    ({ q, ids } = launch(q, newId));
    q = finishRun(q, ids[0], 'done')!.queue;
    expect(q.finished).toEqual([
      { run: 1, outcome: 'failed' },
      { run: 2, outcome: 'done' },
      { run: 3, outcome: 'done' },
    ]);
    expect(q.status).toBe('done');
  });

  it('launches nothing twice: a run finished twice, or an unknown run id, changes nothing', () => {
    const newId = idMaker();
    const first = launch(createRunQueue(['a', 'b', 'c'], 2), newId);
    let q = finishRun(first.q, first.ids[0], 'done')!.queue;
    expect(finishRun(q, first.ids[0], 'done')).toBeNull();
    expect(finishRun(q, 'not-a-run', 'failed')).toBeNull();
    ({ q } = launch(q, newId));
    expect(Object.values(q.active)).toEqual(['b', 'c']);
    expect(launch(q, newId).runs).toEqual([]);
    // A host that hands out an id already in flight is told so, not silently overwritten.
    const fresh = createRunQueue(['x', 'y'], 2);
    expect(() => launchRuns(fresh, () => 'same')).toThrow(/run id same is already active/);
  });

  it('cancel drops the pending runs, names the active ones to stop, and later ends change nothing', () => {
    const newId = idMaker();
    const { q, ids } = launch(createRunQueue(['a', 'b', 'c', 'd'], 2), newId);
    const { queue, stopped } = cancelRunQueue(q);
    expect(stopped).toEqual(ids);
    expect(queue).toMatchObject({ status: 'cancelled', pending: [], active: {} });
    expect(finishRun(queue, ids[0], 'done')).toBeNull();
    expect(launch(queue, newId).runs).toEqual([]);
    expect(cancelRunQueue(queue).stopped).toEqual([]);
  });

  it('is done when nothing is pending or active; an empty plan is done at its first launch', () => {
    expect(launch(createRunQueue([], 3), idMaker()).q.status).toBe('done');
  });

  it('refuses a concurrency that is not a positive integer', () => {
    for (const k of [0, -1, 1.5, NaN]) expect(() => createRunQueue([1], k)).toThrow(/concurrency must be a positive integer/);
  });

  it('in any finish order: never more than K active, every run launched once and finished once, in planned launch order (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        (n, k, picks, fails) => {
          const planned = Array.from({ length: n }, (_, i) => i);
          const newId = idMaker();
          const launchedOrder: number[] = [];
          let q = createRunQueue(planned, k);
          const launchAll = () => {
            const step = launch(q, newId);
            q = step.q;
            launchedOrder.push(...step.runs);
            expect(Object.keys(q.active).length).toBeLessThanOrEqual(k);
          };
          launchAll();
          for (let i = 0; Object.keys(q.active).length > 0; i++) {
            const active = Object.keys(q.active);
            const id = active[picks[i % picks.length] % active.length];
            q = finishRun(q, id, fails[i % fails.length] ? 'failed' : 'done')!.queue;
            launchAll();
          }
          expect(launchedOrder).toEqual(planned);
          expect(q.finished.map((f) => f.run).sort((a, b) => a - b)).toEqual(planned);
          expect(q.status).toBe('done');
        },
      ),
    );
  });
});

describe('drainRunQueue (Node)', () => {
  it('keeps at most K calls in flight, returns results in input order and stops on abort', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await drainRunQueue([5, 1, 4, 2, 3], 2, async (x) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, x));
      inFlight--;
      return x * 10;
    });
    expect(out.map((s) => s?.outcome === 'done' && s.value)).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
    const ac = new AbortController();
    const started: number[] = [];
    const partial = await drainRunQueue(
      [1, 2, 3, 4],
      1,
      async (x) => {
        started.push(x);
        if (x === 2) ac.abort();
        return x;
      },
      ac.signal,
    );
    expect(started).toEqual([1, 2]);
    expect(partial.map((s) => s && s.outcome === 'done' && s.value)).toEqual([1, 2, undefined, undefined]);
    await expect(drainRunQueue([1], 0, async (x) => x)).rejects.toThrow(/concurrency must be a positive integer/);
  });

  it('records a run that throws as failed, with its error, and trains the rest', async () => {
    const started: string[] = [];
    const out = await drainRunQueue(['a', 'b', 'c'], 1, async (x) => {
      started.push(x);
      if (x === 'a') throw new Error('a diverged');
      return x;
    });
    expect(started).toEqual(['a', 'b', 'c']);
    expect(out[0]).toMatchObject({ outcome: 'failed', error: new Error('a diverged') });
    expect(out.slice(1)).toEqual([
      { outcome: 'done', value: 'b' },
      { outcome: 'done', value: 'c' },
    ]);
  });
});
