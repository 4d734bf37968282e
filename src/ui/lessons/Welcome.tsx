import { LESSONS } from '../../lessons';
import { usePlayground } from '../storeContext';
import { ClippingPicture } from './ClippingPicture';
import { GlossaryList, Term } from './Term';

/** The first screen: what this is, a picture of the mechanism, and a lesson to start with. Dismissal is remembered. */
export function Welcome() {
  const show = usePlayground((s) => !s.introDismissed && s.lesson === null);
  const openLesson = usePlayground((s) => s.openLesson);
  const dismiss = usePlayground((s) => s.dismissIntro);
  if (!show) return null;
  return (
    <section className="welcome" aria-labelledby="welcome-title" data-testid="welcome">
      <h2 id="welcome-title">Train a model that cannot remember any one person</h2>
      <p>
        This playground trains real neural networks in your browser with <Term k="dp">differential privacy</Term>. Each step, every
        example’s gradient is <Term k="clipping">clipped</Term> to a size limit <Term k="R">R</Term>, the clipped gradients are summed, and
        Gaussian noise of size <Term k="sigma">σ</Term>·R hides any single example. The price is the privacy budget{' '}
        <Term k="epsilon">ε</Term>; the prize is a model that still learns. <em>Automatic clipping</em> (Bu et al. 2023) removes R
        altogether.
      </p>
      <ClippingPicture />
      <h3>Start with a lesson (about five minutes each)</h3>
      <ol className="lesson-picker" data-testid="lesson-picker">
        {LESSONS.map((l) => (
          <li key={l.name}>
            <button type="button" onClick={() => openLesson(l.name)} data-testid={`lesson-pick-${l.name}`}>
              {l.title}
            </button>
            <span className="lesson-pick-summary">{l.summary.split('. ')[0]}.</span>
          </li>
        ))}
      </ol>
      <details>
        <summary>Words used here</summary>
        <GlossaryList />
      </details>
      <button type="button" className="welcome-dismiss" onClick={dismiss} data-testid="welcome-dismiss">
        Explore on my own
      </button>
    </section>
  );
}
