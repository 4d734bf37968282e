import { memo, useMemo } from 'react';
import { StatsChartSlot, type StatsChartProps } from './StatsChartSlot';
import { ChartLegend } from './ChartLegend';
import { HistogramBars, type HistogramBin } from './HistogramBars';
import { Term } from '../lessons/Term';

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
  const data = useMemo((): HistogramBin[] => {
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
      <figcaption>
        Clip factors <Term k="clipFactor">Cᵢ</Term> {stats ? `(step ${stats.step}, mean ${stats.meanClipFactor.toPrecision(3)})` : ''}
      </figcaption>
      <div className="chart-body">
        {data.length === 0 ? (
          <p className="empty">Shown during private training.</p>
        ) : (
          <HistogramBars data={data} xDomain={[0, 'dataMax']} fill="#0891b2" binLabel={(m) => `Cᵢ ≈ ${m.toPrecision(3)}`} />
        )}
      </div>
      <ChartLegend runs={[{ id: 'active', label: runLabel, color: runColor }]} />
    </figure>
  );
});
