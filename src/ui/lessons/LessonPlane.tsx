import { useState } from 'react';
import type { LessonPlane as Picture } from '../../lessons';
import type { OpenLesson } from '../../store/lessonSlice';
import { GradientPlaneView } from '../plane/GradientPlaneView';
import { usePlayground } from '../storeContext';

/**
 * The lesson's picture: the gradient plane of one of its runs (the real batch that run trained on,
 * from its first step, then every few steps), with a picker when the lesson pictures several runs.
 */
export function LessonPlane({ open, picture }: { open: Pick<OpenLesson, 'runIds'>; picture: Picture }) {
  const [chosen, setChosen] = useState(picture.runs[0]);
  const label = picture.runs.includes(chosen) ? chosen : picture.runs[0];
  const runId = open.runIds[label];
  const plane = usePlayground((s) => (runId ? s.planes[runId] : undefined));
  const color = usePlayground((s) => (runId ? s.runs[runId]?.color : undefined));
  const launched = Object.keys(open.runIds).length > 0;
  return (
    <section className="lesson-plane" aria-labelledby="lesson-plane-title" data-testid="lesson-plane" data-run={runId ?? ''}>
      <h3 id="lesson-plane-title">This batch’s gradients</h3>
      {picture.runs.length > 1 && (
        <div className="lesson-plane-runs" role="group" aria-label="Which run to picture">
          {picture.runs.map((l) => (
            <button key={l} type="button" aria-pressed={l === label} onClick={() => setChosen(l)} data-testid="lesson-plane-run">
              {l}
            </button>
          ))}
        </div>
      )}
      {plane && color ? (
        <>
          <small className="help" data-testid="lesson-plane-caption">
            {label}, step {plane.step}: each arrow is one sample’s gradient in the batch this run trained on, drawn in the plane of the
            batch’s top two principal directions
            {picture.every > 1 ? ` (redrawn every ${picture.every} steps)` : ''}.
          </small>
          <GradientPlaneView plane={plane} color={color} />
        </>
      ) : (
        <p className="help" data-testid="lesson-plane-waiting">
          {launched
            ? `Waiting for the first step of “${label}”: its batch appears here as arrows, one per sample.`
            : `Press “Train lesson runs”: the first batch of “${label}” appears here as arrows, one per sample, before and after clipping.`}
        </p>
      )}
    </section>
  );
}
