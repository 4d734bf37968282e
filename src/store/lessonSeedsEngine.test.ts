/**
 * The playground's lesson on 3 seeds and `autoclip lesson` state the same outcome from the same
 * records: the store, driven by the engine's real events (RunController in Node, standing in for the
 * worker), records each run on the preset seed and on the further seeds exactly as the CLI records it.
 */
import { describe, expect, it } from 'vitest';
import { initNodeBackend, loadData } from '../../cli/training';
import { runLesson } from '../../cli/lessonRunner';
import { RunController } from '../engine/runController';
import { LESSON_SEEDS, lessonByName } from '../lessons';
import type { CommandBody } from '../protocol/messages';
import { lessonSeedsOutcome } from './lessonSeeds';
import { createPlaygroundStore, type PlaygroundStore } from './playgroundStore';

/** The worker's part, in process: a RunController per created run, its events sent back to the store. */
function inProcessWorker(store: () => PlaygroundStore) {
  const runs = new Map<string, Promise<RunController>>();
  return {
    send(c: CommandBody) {
      if (c.type === 'create') {
        runs.set(
          c.runId,
          loadData(c.config).then(
            (data) =>
              new RunController(
                c.runId,
                c.config,
                data,
                (e) =>
                  store()
                    .getState()
                    .applyEvents([{ v: 1, ...e }]),
                { yieldToEvents: () => Promise.resolve() },
              ),
          ),
        );
      } else if (c.type === 'start') void runs.get(c.runId)?.then((r) => r.start());
      else if (c.type === 'planeLive') void runs.get(c.runId)?.then((r) => r.setPlaneRefresh(c.every));
      else if (c.type === 'dispose') void runs.get(c.runId)?.then((r) => r.dispose());
    },
  };
}

describe('a lesson on 3 seeds in the playground and in the CLI', () => {
  it('why-clip: the same records, seed by seed, and the same verdict', { timeout: 120_000 }, async () => {
    await initNodeBackend();
    const lesson = lessonByName('why-clip')!;
    let store: PlaygroundStore | null = null;
    store = createPlaygroundStore(inProcessWorker(() => store!));
    store.getState().openLesson(lesson.name);
    store.getState().trainLesson();
    await expect.poll(() => store.getState().lesson?.seeds?.status, { timeout: 100_000, interval: 50 }).toBe('done');
    const seeds = store.getState().lesson!.seeds!;
    const cli = await runLesson(lesson, [...LESSON_SEEDS]);
    const inBrowser = [...seeds.preset, ...seeds.runs.map((r) => r.record)];
    expect(inBrowser.map((r) => r.seed)).toEqual([...LESSON_SEEDS]);
    expect(inBrowser).toEqual(cli.runs);
    const result = lessonSeedsOutcome(lesson, seeds);
    expect(result).toEqual({ outcome: cli.outcome });
  });
});
