import { memo, useMemo } from 'react';
import { StatsChartSlot, type StatsChartProps } from './StatsChartSlot';
import { TOOLTIP_CONTENT, TOOLTIP_ESCAPE, TOOLTIP_WRAPPER } from './RunsChart';
import { ChartLegend } from './ChartLegend';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const BINS = 20;

/**
 * Distribution of each sample's clip factor ‖clipped gᵢ‖/‖gᵢ‖ in the latest step. Abadi piles most
 * samples at 1 (untouched) or far below it (clipped); automatic clipping spreads them as 1/(‖gᵢ‖+γ),
 * which is why it needs no R: every sample is rescaled, none is left unbounded.
 */
export function ClipFactorChart(props: StatsChartProps) {
  return <StatsChartSlot Body={ClipFactorChartBody} {...props} />;
}

const ClipFactorChartBody = memo(function ClipFactorChartBody({ stats, runLabel, runColor }: StatsChartProps) {
  const data = useMemo(() => {
    if (!stats || stats.clipFactors.length === 0) return [];
    let hi = 0;
    for (const c of stats.clipFactors) hi = Math.max(hi, c);
    hi = hi > 0 ? hi * 1.0001 : 1;
    const counts = new Array<number>(BINS).fill(0);
    for (const c of stats.clipFactors) counts[Math.min(BINS - 1, Math.floor((c / hi) * BINS))]++;
    return counts.map((count, k) => ({ mid: ((k + 0.5) * hi) / BINS, count }));
  }, [stats]);
  return (
    <figure className="chart" data-testid="clip-factor-chart">
      <figcaption>Clip factors Cᵢ {stats ? `(step ${stats.step}, mean ${stats.meanClipFactor.toPrecision(3)})` : ''}</figcaption>
      <div className="chart-body">
        {data.length === 0 ? (
          <p className="empty">Shown during private training.</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} margin={{ top: 4, right: 12, bottom: 4, left: 0 }} barCategoryGap={0}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis
                dataKey="mid"
                type="number"
                domain={[0, 'dataMax']}
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
                labelFormatter={(m) => `Cᵢ ≈ ${Number(m).toPrecision(3)}`}
              />
              <Bar dataKey="count" fill="#0891b2" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        )}
      </div>
      <ChartLegend runs={[{ id: 'active', label: runLabel, color: runColor }]} />
    </figure>
  );
});
