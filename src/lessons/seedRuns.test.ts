import { describe, expect, it } from 'vitest';
import { LESSON_SEEDS, LESSONS, lessonByName } from '.';
import { estimateLessonSeconds } from './duration';
import { extraSeedRuns, LESSON_EXTRA_SEEDS, plannedStepsOf, presetSeedRuns } from './seedRuns';

describe('a lesson on further seeds', () => {
  it('the preset seed and the further ones are the seeds the lessons are measured on (autoclip lesson, docs/LESSONS.md)', () => {
    for (const lesson of LESSONS) {
      const seeds = [...presetSeedRuns(lesson, false), ...extraSeedRuns(lesson, false)];
      for (const run of lesson.runs) {
        expect(seeds.filter((s) => s.label === run.label).map((s) => s.seed)).toEqual([...LESSON_SEEDS]);
      }
      expect(seeds).toHaveLength(lesson.runs.length * (1 + LESSON_EXTRA_SEEDS));
    }
  });

  it('changes nothing but the seed and the secure randomness, which follows the playground', () => {
    const lesson = lessonByName('automatic-clipping')!;
    for (const secureNoise of [true, false]) {
      const runs = extraSeedRuns(lesson, secureNoise);
      // Every run on the next seed first, then every run on the one after.
      expect(runs.map((r) => r.seed)).toEqual([2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
      for (const r of runs) {
        const preset = lesson.runs.find((p) => p.label === r.label)!.config;
        expect(r.config).toEqual({ ...preset, seed: r.seed, privacy: { ...preset.privacy, secureNoise } });
      }
    }
  });

  it('plans the steps the lessons train (docs/LESSONS.md: 292 steps on the spirals, 3 on why-clip, 117 and 234 on the circle)', () => {
    const steps = (name: string) => lessonByName(name)!.runs.map((r) => plannedStepsOf(r.config));
    expect(steps('automatic-clipping')).toEqual([292, 292, 292, 292, 292]);
    expect(steps('why-clip')).toEqual([3]);
    expect(steps('privacy-budget')).toEqual([117, 234, 117, 117]);
    expect(estimateLessonSeconds(lessonByName('automatic-clipping')!)).toMatchObject({ runs: 15, steps: 3 * 5 * 292 });
  });
});
