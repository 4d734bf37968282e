import { selectActiveRun } from '../../store/selectors';
import { usePlayground } from '../storeContext';
import { GradientPlaneView } from './GradientPlaneView';

const LIVE_CHOICES = [0, 5, 20, 100];

/** The active run's gradient plane (from the last inspected or live-refreshed step) and the live refresh choice. */
export function GradientPlanePanel() {
  const run = usePlayground(selectActiveRun);
  const plane = usePlayground((s) => (run ? s.planes[run.id] : undefined));
  const every = usePlayground((s) => s.planeLiveEvery);
  const setLive = usePlayground((s) => s.setPlaneLive);
  return (
    <section className="plane-panel" aria-label="Clipping in pictures">
      <header>
        <h3>Clipping in pictures</h3>
        <label>
          Refresh while training{' '}
          <select value={every} onChange={(e) => setLive(Number(e.target.value))} data-testid="plane-live">
            {LIVE_CHOICES.map((k) => (
              <option key={k} value={k}>
                {k === 0 ? 'off (inspected steps only)' : `every ${k} steps`}
              </option>
            ))}
          </select>
        </label>
      </header>
      {plane && run ? (
        <>
          <small className="help">
            Step {plane.step}: each sample’s gradient in the plane of the batch’s top two principal directions.
          </small>
          <GradientPlaneView plane={plane} color={run.color} />
        </>
      ) : (
        <p className="help">Inspect a step (or turn on the refresh) to see this batch’s gradients as arrows, before and after clipping.</p>
      )}
    </section>
  );
}
