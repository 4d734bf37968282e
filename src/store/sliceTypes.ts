import type { CommandBody } from '../protocol/messages';

/** What the store needs from the worker connection (TrainingClient, or a fake in tests). */
export interface CommandSink {
  send(c: CommandBody): void;
}

/**
 * A slice's view of the store: it reads and writes only the parts it declares (`T`), so slices
 * depend on each other's types, never on the whole store (no import circle).
 */
export type SetState<T> = (partial: Partial<T> | ((s: T) => Partial<T>)) => void;
export type GetState<T> = () => T;
