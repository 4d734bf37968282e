import { selectActiveRun } from '../store/selectors';
import { Formula } from './Formula';
import { Term } from './lessons/Term';
import { GradientPlanePanel } from './plane/GradientPlanePanel';
import { usePlayground } from './storeContext';

const ROWS_SHOWN = 12;

/**
 * Step-through mode: one iteration of DP-SGD taken apart — the Poisson batch, each sample's gradient
 * norm and clip factor, the clipped sum, the noise and the update — in the order the algorithm does it.
 */
export function Inspector() {
  const run = usePlayground(selectActiveRun);
  const inspect = usePlayground((s) => s.inspect);
  const running = run?.state === 'running';
  const ins = run?.inspection;
  const st = ins?.stats;
  const order = st ? Array.from(st.norms.keys()).sort((a, b) => st.norms[b] - st.norms[a]) : [];
  const labelCounts = new Map<number, number>();
  if (ins) for (const l of ins.labels) labelCounts.set(l, (labelCounts.get(l) ?? 0) + 1);

  return (
    <section className="inspector" aria-label="Step-through" data-testid="inspector">
      <header>
        <h2>Step through one iteration</h2>
        <button type="button" onClick={inspect} disabled={running || run?.state === 'done'} data-testid="inspect-step">
          Inspect next step
        </button>
        <small className="help">Pauses are kept: this runs exactly one step and shows its inner workings.</small>
      </header>
      {!ins ? (
        <p className="help">Press “Inspect next step” to draw one batch and follow it through clipping and noise.</p>
      ) : (
        <ol className="inspector-steps" data-testid="inspect-steps">
          <li>
            <strong>Sample.</strong> Step {ins.step}: <Term k="poisson">Poisson sampling</Term> drew{' '}
            <span data-testid="inspect-batch">{ins.indices.length}</span> examples (<Term k="expectedBatch">expected B</Term> ={' '}
            {ins.expectedBatchSize}; padded to {ins.paddedSize} rows, padding masked). Labels:{' '}
            {[...labelCounts.entries()]
              .sort((a, b) => a[0] - b[0])
              .map(([l, n]) => `${l}×${n}`)
              .join(', ')}
            .
          </li>
          {st ? (
            <>
              <li>
                <strong>
                  Per-sample norms and <Term k="clipFactor">clip factors</Term>
                </strong>{' '}
                (<Term k="bookkeeping">one backward pass</Term>, no loop over examples), largest first:
                <table className="inspect-table" data-testid="inspect-table">
                  <thead>
                    <tr>
                      <th>example</th>
                      <th>label</th>
                      <th>
                        <Term k="gradNorm">
                          <Formula tex="\|g_i\|" />
                        </Term>
                      </th>
                      <th>
                        <Term k="clipFactor">
                          <Formula tex="C_i" />
                        </Term>
                      </th>
                      <th>
                        <Formula tex="\|C_i g_i\|" />
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {order.slice(0, ROWS_SHOWN).map((k) => (
                      <tr key={k} data-testid="inspect-row">
                        <td>#{ins.indices[k]}</td>
                        <td>{ins.labels[k]}</td>
                        <td data-testid="inspect-norm">{st.norms[k].toPrecision(4)}</td>
                        <td>{st.clipFactors[k].toPrecision(4)}</td>
                        <td>{(st.norms[k] * st.clipFactors[k]).toPrecision(4)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {order.length > ROWS_SHOWN && (
                  <small className="help">… and {order.length - ROWS_SHOWN} more (all of them are in the histogram).</small>
                )}
              </li>
              <li>
                <strong>
                  <Term k="clipping">Clipped</Term> sum
                </strong>{' '}
                <Formula tex="\textstyle\sum_i C_i g_i" /> has norm {st.clippedSumNorm.toPrecision(4)}
                {st.fractionClipped !== null ? ` (${(100 * st.fractionClipped).toFixed(0)}% of samples were scaled down)` : ''}.
              </li>
              <li>
                <strong>Noise</strong> <Formula tex="z \sim \mathcal{N}(0, \sigma^2 S^2 I)" /> with <Term k="sigma">σ</Term>·
                <Term k="S">S</Term> = {ins.noiseStd?.toPrecision(4)}: ‖z‖ = {st.noiseNorm.toPrecision(4)},{' '}
                {(st.noiseNorm / Math.max(1e-12, st.clippedSumNorm)).toFixed(1)}× the signal. The sum plus noise is divided by{' '}
                <Term k="expectedBatch">B</Term> = {ins.expectedBatchSize} (the expected, not the drawn, batch size).
              </li>
            </>
          ) : (
            <li>Non-private run: the ordinary mean gradient, no clipping and no noise.</li>
          )}
          <li>
            <strong>Update.</strong> The optimizer moved the parameters by ‖Δθ‖ = {ins.updateNorm.toPrecision(4)} (learning rate{' '}
            {ins.learningRate}); the loss of this batch was {ins.loss.toFixed(4)}.
          </li>
        </ol>
      )}
      <GradientPlanePanel />
    </section>
  );
}
