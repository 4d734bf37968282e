import { memo, useMemo } from 'react';
import { StatsChartSlot, type StatsChartProps } from './StatsChartSlot';
import { TOOLTIP_CONTENT, TOOLTIP_ESCAPE, TOOLTIP_WRAPPER } from './RunsChart';
import { ChartLegend } from './ChartLegend';
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

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
  const data = useMemo(() => {
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
        Per-sample gradient norms ‖gᵢ‖{stats ? ` (step ${stats.step}, ${stats.norms.length} samples)` : ''}
        {stats?.fractionClipped != null && (
          <span className="caption-stat" data-testid="fraction-clipped">
            {' '}
            · {(100 * stats.fractionClipped).toFixed(0)}% clipped
          </span>
        )}
      </figcaption>
      <div className="chart-body">
        {stats ? (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} margin={{ top: 4, right: 12, bottom: 4, left: 0 }} barCategoryGap={0}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis
                dataKey="mid"
                type="number"
                domain={[0, xMax]}
                tick={{ fontSize: 11 }}
                tickFormatter={(v: number) => v.toPrecision(2)}
              />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={36} />
              <Tooltip
                isAnimationActive={false}
                wrapperStyle={TOOLTIP_WRAPPER}
                contentStyle={TOOLTIP_CONTENT}
                allowEscapeViewBox={TOOLTIP_ESCAPE}
                formatter={(v) => [String(v), 'samples']}
                labelFormatter={(m) => `‖g‖ ∈ [${(Number(m) - width / 2).toPrecision(3)}, ${(Number(m) + width / 2).toPrecision(3)})`}
              />
              <Bar dataKey="count" fill="#6366f1" isAnimationActive={false} />
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
            </BarChart>
          </ResponsiveContainer>
        ) : (
          <p className="empty">Shown during private training.</p>
        )}
      </div>
      {stats && (
        <p className="chart-foot" data-testid="signal-noise">
          signal ‖Σ Cᵢgᵢ‖ = {stats.clippedSumNorm.toPrecision(3)} · noise ‖z‖ = {stats.noiseNorm.toPrecision(3)} · mean clip factor{' '}
          {stats.meanClipFactor.toPrecision(3)}
        </p>
      )}
      <ChartLegend runs={[{ id: 'active', label: runLabel, color: runColor }]} />
    </figure>
  );
});
