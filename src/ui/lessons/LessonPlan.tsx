import { useMemo } from 'react';
import type { Lesson } from '../../lessons';
import { estimateLessonSeconds, LONG_LESSON_SECONDS } from '../../lessons/duration';
import { LESSON_EXTRA_SEEDS } from '../../lessons/seedRuns';
import { formatDuration } from '../formatDuration';

/**
 * What "Train lesson runs" will do, before it is pressed: the runs on the preset seed, the same runs on
 * further seeds in the background, the steps in all, and how long that took on our test machine. A
 * lesson that takes minutes says so rather than quietly training fewer seeds.
 */
export function LessonPlan({ lesson }: { lesson: Lesson }) {
  const estimate = useMemo(() => estimateLessonSeconds(lesson), [lesson]);
  const seeds = 1 + LESSON_EXTRA_SEEDS;
  const long = estimate.busySeconds > LONG_LESSON_SECONDS;
  return (
    <p
      className={long ? 'lesson-plan lesson-plan-long' : 'lesson-plan'}
      data-testid="lesson-plan"
      data-seconds={Math.round(estimate.seconds)}
    >
      {long && <strong>This lesson can take more than {formatDuration(LONG_LESSON_SECONDS)}. </strong>}
      It trains its {lesson.runs.length === 1 ? 'run' : `${lesson.runs.length} runs`} on the preset’s seed (in the charts and the runs
      table), then again on {LESSON_EXTRA_SEEDS} more seeds in the background, so that the verdict rests on {seeds} seeds:{' '}
      {estimate.runs.toLocaleString('en')} runs, {estimate.steps.toLocaleString('en')} training steps, about{' '}
      {formatDuration(estimate.seconds)} on our test machine (no GPU: WebAssembly on 2 cores; a GPU is faster), about{' '}
      {formatDuration(estimate.busySeconds)} when those cores are busy with other work.
    </p>
  );
}
