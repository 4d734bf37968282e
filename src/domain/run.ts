/** A run's identity and life cycle, as every part of the app names them. */

export type RunId = string;

export type RunState = 'idle' | 'running' | 'paused' | 'done' | 'error';
