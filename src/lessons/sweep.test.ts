import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSweepConfig } from '../config/sweepConfig';
import { LESSON_SEEDS, LESSONS, lessonByName, lessonSweepConfig } from './index';

/** The sweep file docs/LESSONS.md measures the R·lr lesson's grid with (`autoclip sweep --config …`). */
const SWEEP_FILE = new URL('../../docs/lessons-lab/configs/r-lr-coupled-sweep.json', import.meta.url);

describe('lesson sweeps', () => {
  it('every lesson grid is a valid sweep over the lesson seeds, Abadi cells only', () => {
    for (const lesson of LESSONS.filter((l) => l.sweep)) {
      const check = parseSweepConfig(lessonSweepConfig(lesson.sweep!, [...LESSON_SEEDS]));
      expect(check.ok ? [] : check.errors, lesson.name).toEqual([]);
      if (check.ok) expect(Object.keys(check.config.clipping)).toEqual(['abadi']);
    }
  });

  it('the committed sweep file of the R·lr lesson is the grid the lesson loads, over seeds 1–3', () => {
    const file: unknown = JSON.parse(readFileSync(SWEEP_FILE, 'utf8'));
    expect(file).toEqual(lessonSweepConfig(lessonByName('r-lr-coupled')!.sweep!, [...LESSON_SEEDS]));
  });
});
