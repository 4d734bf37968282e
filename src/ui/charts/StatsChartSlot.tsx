import { useRef, type ComponentType } from 'react';
import type { GradStats } from '../../domain/gradStats';
import { useOnScreen, useThrottled } from '../useThrottled';
import { CHART_REFRESH_MS } from './RunsChart';

/** What a chart of one run's latest per-sample statistics shows: the statistics and whose they are. */
export interface StatsChartProps {
  stats?: GradStats;
  runLabel: string;
  runColor: string;
}

/** Throttles the live statistics (and stops while off screen); the body renders only when they change. */
export function StatsChartSlot({ Body, ...props }: StatsChartProps & { Body: ComponentType<StatsChartProps> }) {
  const ref = useRef<HTMLDivElement>(null);
  const stats = useThrottled(props.stats, CHART_REFRESH_MS, useOnScreen(ref));
  return (
    <div ref={ref} className="chart-slot">
      <Body stats={stats} runLabel={props.runLabel} runColor={props.runColor} />
    </div>
  );
}
