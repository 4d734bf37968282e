import { describe, expect, it } from 'vitest';
import type { GradientPlane } from '../domain/gradientPlane';
import type { CommandBody, WorkerEvent } from '../protocol/messages';
import { createPlaygroundStore } from './playgroundStore';

const plane = (step: number) => ({ step, labels: new Int32Array(1) }) as unknown as GradientPlane;

describe('gradient plane slice', () => {
  it('keeps the latest plane per run and sends the live refresh to the active run and to runs created later', () => {
    const sent: CommandBody[] = [];
    const store = createPlaygroundStore({ send: (c) => sent.push(c) });
    store.getState().train();
    const id = store.getState().activeRunId!;
    store.getState().setPlaneLive(5);
    expect(sent[sent.length - 1]).toEqual({ type: 'planeLive', runId: id, every: 5 });
    const events: WorkerEvent[] = [
      { v: 1, type: 'gradientPlane', runId: id, plane: plane(5) },
      { v: 1, type: 'gradientPlane', runId: id, plane: plane(10) },
    ];
    store.getState().applyEvents(events);
    expect(store.getState().planes[id].step).toBe(10);
    const created = { v: 1, type: 'created', runId: 'other' } as unknown as WorkerEvent;
    store.getState().applyEvents([created]);
    expect(sent[sent.length - 1]).toEqual({ type: 'planeLive', runId: 'other', every: 5 });
  });
});
