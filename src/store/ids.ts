import type { RunId } from '../domain/run';

/** Ids the page makes up for the worker: unique within a page, and across reloads (saved runs keep theirs). */
let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export const newRunId = (): RunId => unique('run');
export const newImportId = (): string => unique('import');
/** Sweep cells' runs: their prefix keeps their failures out of the page's global error and their plane off. */
export const newSweepRunId = (): RunId => unique('sweep');
export const isSweepRunId = (id: RunId): boolean => id.startsWith('sweep-');
