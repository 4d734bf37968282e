import { memo, useMemo } from 'react';
import { StatsChartSlot, type StatsChartProps } from './StatsChartSlot';
import { ChartLegend } from './ChartLegend';
import { ReferenceLine } from 'recharts';
import { HistogramBars, type HistogramBin } from './HistogramBars';
import { Term } from '../lessons/Term';

/**
 * Per-sample gradient norms of the latest step, before clipping, with the threshold R: the bars right
 * of the line are the samples Abadi clipping scales down. Automatic clipping normalises every sample,
 * so there is no line, only the spread it removes.
 */
export function NormHistogram(props: StatsChartProps) {
  return <StatsChartSlot Body={NormHistogramBody} {...props} />;
}

/**
 * Where the label of a vertical marker goes: on the side of the line with more room, so a marker
 * near either edge of the plot keeps its whole label ("R = 0.1", not "= 0.1").
 */
function markerLabelPosition(x: number, xMax: number): 'insideTopLeft' | 'insideTopRight' {
  return x <= xMax / 2 ? 'insideTopLeft' : 'insideTopRight';
}

const NormHistogramBody = memo(function NormHistogramBody({ stats, runLabel, runColor }: StatsChartProps) {
  const data = useMemo((): HistogramBin[] => {
    if (!stats) return [];
    const { edges, counts } = stats.histogram;
    return Array.from(counts, (count, k) => ({ mid: (edges[k] + edges[k + 1]) / 2, count }));
  }, [stats]);
  const width = stats ? stats.histogram.edges[1] - stats.histogram.edges[0] : 1;
  // The axis reaches R even when every norm is below it, so the R line is always drawn.
  const xMax = stats ? Math.max(stats.histogram.edges[stats.histogram.edges.length - 1], (stats.maxGradNorm ?? 0) * 1.05) : 1;
  return (
    <figure className="chart" data-testid="norm-histogram" data-step={stats?.step ?? -1}>
      <figcaption>
        Per-sample gradient norms <Term k="gradNorm">‖gᵢ‖</Term>
        {stats ? ` (step ${stats.step}, ${stats.norms.length} samples)` : ''}
        {stats?.maxGradNorm != null && (
          <>
            , red line: threshold <Term k="R">R</Term>
          </>
        )}
        {stats?.fractionClipped != null && (
          <span className="caption-stat" data-testid="fraction-clipped">
            {' '}
            · {(100 * stats.fractionClipped).toFixed(0)}% <Term k="clipping">clipped</Term>
          </span>
        )}
      </figcaption>
      <div className="chart-body">
        {stats ? (
          <HistogramBars
            data={data}
            xDomain={[0, xMax]}
            fill="#6366f1"
            binLabel={(m) => `‖g‖ ∈ [${(m - width / 2).toPrecision(3)}, ${(m + width / 2).toPrecision(3)})`}
          >
            {stats.maxGradNorm !== null && (
              <ReferenceLine
                x={stats.maxGradNorm}
                stroke="#dc2626"
                strokeWidth={2}
                label={{
                  value: `R = ${stats.maxGradNorm}`,
                  fill: '#b91c1c',
                  fontSize: 11,
                  position: markerLabelPosition(stats.maxGradNorm, xMax),
                }}
              />
            )}
          </HistogramBars>
        ) : (
          <p className="empty">Shown during private training.</p>
        )}
      </div>
      {stats && (
        <p className="chart-foot" data-testid="signal-noise">
          signal ‖Σ Cᵢgᵢ‖ = {stats.clippedSumNorm.toPrecision(3)} · <Term k="sigma">noise</Term> ‖z‖ = {stats.noiseNorm.toPrecision(3)} ·
          mean <Term k="clipFactor">clip factor</Term> {stats.meanClipFactor.toPrecision(3)}
        </p>
      )}
      <ChartLegend runs={[{ id: 'active', label: runLabel, color: runColor }]} />
    </figure>
  );
});
