import './lessons.css';
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { lessonByName } from '../../lessons';
import { lessonOutcome } from '../../store/lessonSlice';
import { usePlayground } from '../storeContext';
import { LessonPlan } from './LessonPlan';
import { LessonPlane } from './LessonPlane';
import { LessonSeedsOutcome } from './LessonSeedsOutcome';
import { Term } from './Term';

/**
 * The open lesson: its steps one at a time, the button that trains its runs, the outcome checked on
 * the preset's seed, then over that seed and the further ones trained in the background.
 */
export function LessonPanel() {
  // Not the background runs' progress (LessonSeedsOutcome follows it): the panel re-renders when the student acts or a run finishes.
  const open = usePlayground(
    useShallow((s) =>
      s.lesson ? { name: s.lesson.name, step: s.lesson.step, runIds: s.lesson.runIds, seedsStarted: s.lesson.seeds !== null } : null,
    ),
  );
  // Only the lesson's finished runs: the panel re-renders when one finishes, not on every training step.
  const finished = usePlayground(
    useShallow((s) =>
      Object.fromEntries(Object.values(s.lesson?.runIds ?? {}).flatMap((id) => (s.runs[id]?.state === 'done' ? [[id, s.runs[id]]] : []))),
    ),
  );
  const setStep = usePlayground((s) => s.setLessonStep);
  const train = usePlayground((s) => s.trainLesson);
  const close = usePlayground((s) => s.closeLesson);
  const loadSweep = usePlayground((s) => s.loadLessonSweep);
  const lesson = open ? lessonByName(open.name) : undefined;
  const outcome = useMemo(() => (lesson && open ? lessonOutcome(lesson, open, finished) : null), [lesson, open, finished]);
  if (!open || !lesson) return null;
  const launched = Object.keys(open.runIds).length > 0;
  const presetSeed = lesson.runs[0].config.seed;
  const last = lesson.steps.length - 1;
  return (
    <section className="lesson-panel" aria-labelledby="lesson-title" data-testid="lesson-panel" data-lesson={lesson.name}>
      <header>
        <h2 id="lesson-title">Lesson: {lesson.title}</h2>
        <button type="button" onClick={close} aria-label="Close the lesson">
          Close
        </button>
      </header>
      <p>{lesson.summary}</p>
      <p className="lesson-paper">{lesson.paper}</p>
      <ol className="lesson-steps" data-testid="lesson-steps">
        {lesson.steps.map((text, i) => (
          <li
            key={i}
            aria-current={i === open.step ? 'step' : undefined}
            className={i === open.step ? 'current' : i < open.step ? 'done' : ''}
          >
            {text}
          </li>
        ))}
      </ol>
      <div className="lesson-nav">
        <button type="button" onClick={() => setStep(open.step - 1)} disabled={open.step === 0}>
          Back
        </button>
        <span data-testid="lesson-step">
          Step {open.step + 1} of {lesson.steps.length}
        </span>
        <button type="button" onClick={() => setStep(open.step + 1)} disabled={open.step === last} data-testid="lesson-next">
          Next
        </button>
        <button type="button" className="primary" onClick={train} data-testid="lesson-train">
          {launched ? 'Train lesson runs again' : 'Train lesson runs'} ({lesson.runs.length})
        </button>
        {lesson.sweep && (
          <button type="button" onClick={() => loadSweep() && showSweepPanel()} data-testid="lesson-load-sweep">
            Load the {lesson.sweep.R.length} × {lesson.sweep.lr.length} grid into the Sweep panel
          </button>
        )}
      </div>
      {!launched && <LessonPlan lesson={lesson} />}
      {lesson.plane && <LessonPlane open={open} picture={lesson.plane} />}
      <div
        className="lesson-outcome"
        data-testid="lesson-outcome"
        data-holds={outcome ? String(outcome.holds) : undefined}
        aria-live="polite"
      >
        <h3>What you should have seen</h3>
        <p data-testid="lesson-claim">{lesson.claim}</p>
        {outcome ? (
          <p data-testid="lesson-outcome-one-seed">
            <strong>
              On one seed (seed {presetSeed}, the runs in the charts): {outcome.holds ? 'held.' : 'did not hold this time.'}
            </strong>{' '}
            {outcome.detail}{' '}
            {!open.seedsStarted && <span className="lesson-seed-note">One seed is not yet the claim: the check over 3 seeds follows.</span>}
          </p>
        ) : (
          <p className="muted">
            {launched ? 'Checked when every lesson run has finished.' : 'Train the lesson runs; the app checks this against them.'} Terms:{' '}
            <Term k="epsilon">ε</Term>, <Term k="sigma">σ</Term>, <Term k="R">R</Term>, <Term k="q">q</Term>.
          </p>
        )}
      </div>
      {open.seedsStarted && <LessonSeedsOutcome lesson={lesson} />}
    </section>
  );
}

/** Brings the Sweep panel (with the grid just loaded) into view and puts the keyboard on its Run button. */
function showSweepPanel() {
  // After React has drawn the loaded grid.
  requestAnimationFrame(() => {
    document.querySelector('[data-testid=sweep-panel]')?.scrollIntoView({ block: 'start' });
    document.querySelector<HTMLButtonElement>('[data-testid=sweep-start]')?.focus({ preventScroll: true });
  });
}
