import type { Hideable } from '../config/urlCodec';
import type { SetState } from './sliceTypes';

export interface ViewSlice {
  /** Charts' x axis. */
  xAxis: 'step' | 'epoch';
  setXAxis(x: 'step' | 'epoch'): void;
  /** Controls hidden by a classroom link. */
  hidden: Hideable[];
  setHidden(h: Hideable[]): void;
}

export function createViewSlice(set: SetState<ViewSlice>, initialHidden: Hideable[]): ViewSlice {
  return { xAxis: 'step', setXAxis: (xAxis) => set({ xAxis }), hidden: initialHidden, setHidden: (hidden) => set({ hidden }) };
}
