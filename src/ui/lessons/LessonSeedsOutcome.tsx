import { useMemo } from 'react';
import { formatPercentSpread, summariseSeeds, type Lesson, type LessonRunRecord } from '../../lessons';
import { LESSON_EXTRA_SEEDS } from '../../lessons/seedRuns';
import { lessonSeedsOutcome, seedsProgress, seedsStatus, type LessonSeeds } from '../../store/lessonSeeds';
import { formatDuration } from '../formatDuration';
import { usePlayground } from '../storeContext';

const seedList = (seeds: readonly number[]) => (seeds.length > 1 ? `${seeds.slice(0, -1).join(', ')} and ${seeds.at(-1)}` : `${seeds[0]}`);

/**
 * The lesson's outcome over the preset seed and the further ones: progress while the background runs
 * train (with a way to stop them), then the verdict of the same check `autoclip lesson` makes, and each
 * run's test accuracy per seed with mean ± sd and min–max.
 */
export function LessonSeedsOutcome({ lesson }: { lesson: Lesson }) {
  // Only this part re-renders as the background runs report their steps (at most once a frame).
  const shown = usePlayground((s) => s.lesson?.seeds ?? null);
  const cancel = usePlayground((s) => s.cancelLessonSeeds);
  const result = useMemo(() => (shown ? lessonSeedsOutcome(lesson, shown) : null), [lesson, shown]);
  if (!shown) return null;
  const extra = [...new Set(shown.runs.map((r) => r.seed))];
  const all = [...new Set([...shown.preset.map((r) => r.seed), ...extra])];
  const outcome = result && 'outcome' in result ? result.outcome : null;
  const status = seedsStatus(shown);
  return (
    <div
      className="lesson-outcome lesson-outcome-seeds"
      data-testid="lesson-outcome-seeds"
      data-status={status}
      data-holds={outcome ? String(outcome.holds) : undefined}
    >
      {status === 'running' && <SeedsProgress seeds={shown} extra={extra} onCancel={cancel} />}
      {status === 'cancelled' && (
        <p className="muted">
          Stopped before the runs on seeds {seedList(extra)} finished: no verdict over {all.length} seeds. “Train lesson runs again” repeats
          the lesson with them.
        </p>
      )}
      {status === 'failed' && (
        <p className="field-error" role="alert">
          {failureText(shown)} No verdict over {all.length} seeds: it needs every run on every seed.
        </p>
      )}
      {result && 'problem' in result && (
        <p className="field-error" role="alert">
          No verdict over {all.length} seeds: {result.problem}.
        </p>
      )}
      {outcome && (
        <>
          <p>
            <strong>
              Over {all.length} seeds ({seedList(all)}): {outcome.holds ? 'held.' : 'did not hold.'}
            </strong>{' '}
            {outcome.detail}
          </p>
          <SeedTable lesson={lesson} records={[...shown.preset, ...shown.runs.map((r) => r.record)]} seeds={all} />
        </>
      )}
    </div>
  );
}

function failureText(s: LessonSeeds): string {
  const failed = s.runs.find((r) => r.status === 'failed');
  return failed ? `“${failed.label}” on seed ${failed.seed} failed: ${failed.message}.` : 'A run failed.';
}

function SeedsProgress({ seeds, extra, onCancel }: { seeds: LessonSeeds; extra: number[]; onCancel(): void }) {
  const { steps, planned, runsDone } = seedsProgress(seeds);
  const elapsed = (Date.now() - seeds.startedAt) / 1000;
  const left = steps > 0 ? (elapsed / steps) * (planned - steps) : null;
  return (
    <div className="lesson-seeds-progress">
      <p data-testid="lesson-seeds-progress" data-done={runsDone} data-total={seeds.runs.length}>
        Checking it on {LESSON_EXTRA_SEEDS} more seeds ({seedList(extra)}), in the background: {runsDone} of {seeds.runs.length} runs,{' '}
        {steps.toLocaleString('en')} of {planned.toLocaleString('en')} steps
        {left !== null ? `, about ${formatDuration(left)} left` : ''}.
      </p>
      <div className="lesson-seeds-bar">
        <progress max={planned} value={steps} aria-label="Runs on further seeds: steps trained" />
        <button type="button" onClick={onCancel} data-testid="lesson-seeds-cancel">
          Stop the runs on seeds {seedList(extra)}
        </button>
      </div>
    </div>
  );
}

const percent = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(1)} %`);

/** Each run's test accuracy on each seed, its mean ± sd and its range: the spread the verdict is read against. */
function SeedTable({ lesson, records, seeds }: { lesson: Lesson; records: LessonRunRecord[]; seeds: number[] }) {
  return (
    <table className="lesson-seed-table" data-testid="lesson-seed-table">
      <caption>Test accuracy at the end, by seed</caption>
      <thead>
        <tr>
          <th scope="col">run</th>
          {seeds.map((s) => (
            <th scope="col" key={s}>
              seed {s}
            </th>
          ))}
          <th scope="col">mean ± sd</th>
          <th scope="col">[min, max]</th>
        </tr>
      </thead>
      <tbody>
        {lesson.runs.map(({ label }) => {
          const bySeed = seeds.map((seed) => records.find((r) => r.label === label && r.seed === seed)?.finalTestAccuracy ?? null);
          const known = bySeed.filter((v): v is number => v !== null);
          const summary = known.length === seeds.length ? summariseSeeds(known) : null;
          return (
            <tr key={label}>
              <th scope="row">{label}</th>
              {bySeed.map((v, i) => (
                <td key={seeds[i]} data-label={`seed ${seeds[i]}`}>
                  {percent(v)}
                </td>
              ))}
              <td data-label="mean ± sd">{summary ? formatPercentSpread(summary) : '—'}</td>
              <td data-label="range">{summary ? `[${(100 * summary.min).toFixed(1)}, ${(100 * summary.max).toFixed(1)}]` : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
