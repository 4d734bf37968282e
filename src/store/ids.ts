import type { RunId } from '../domain/run';

/** Ids the page makes up for the worker: unique within a page, and across reloads (saved runs keep theirs). */
let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export const newRunId = (): RunId => unique('run');
export const newImportId = (): string => unique('import');
/** Sweep cells' runs: their prefix keeps their failures out of the page's global error and their plane off. */
export const newSweepRunId = (): RunId => unique('sweep');
const isSweepRunId = (id: RunId): boolean => id.startsWith('sweep-');
/** Compare's runs: like sweep cells, trained for their panel, not the runs table. */
export const newCompareRunId = (): RunId => unique('compare');
/** A lesson's runs on its further seeds: like Compare's, trained for the lesson panel, not the runs table. */
export const newLessonRunId = (): RunId => unique('lesson');
/** Runs a panel trains in the background (sweep cells, Compare's and lessons' runs): they record their own failures and get no live plane. */
export const isBackgroundRunId = (id: RunId): boolean => isSweepRunId(id) || id.startsWith('compare-') || id.startsWith('lesson-');
