import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricPoint } from '../../protocol/messages';
import { lttb } from './downsample';

/** Charts keep at most this many points per series: SVG stays smooth with 10,000+ steps. */
export const MAX_CHART_POINTS = 400;

export interface Series {
  key: 'loss' | 'trainAcc' | 'testAcc' | 'testLoss' | 'epsilon' | 'epsilonRdp';
  dashed?: boolean;
  label: string;
  color: string;
}

/**
 * One live line chart over steps. Series are downsampled with LTTB; animation is off because a chart
 * that animates every frame never settles.
 */
export function MetricChart(props: {
  title: string;
  points: readonly MetricPoint[];
  series: Series[];
  yDomain?: [number | 'auto', number | 'auto' | ((dataMax: number) => number)];
  testId: string;
  yFormat?: (v: number) => string;
  /** Horizontal guide, e.g. the target ε. */
  reference?: { y: number; label: string };
}) {
  const { points, series } = props;
  const data = useMemo(() => {
    // Each series is downsampled on the steps where it exists, then merged by step.
    const byStep = new Map<number, Record<string, number>>();
    for (const s of series) {
      const defined = points.filter((p) => p[s.key] !== undefined);
      for (const p of lttb(defined, MAX_CHART_POINTS, (q) => q.step, (q) => q[s.key] as number)) {
        const row = byStep.get(p.step) ?? { step: p.step };
        row[s.key] = p[s.key] as number;
        byStep.set(p.step, row);
      }
    }
    return [...byStep.values()].sort((a, b) => a.step - b.step);
  }, [points, series]);

  return (
    <figure className="chart" data-testid={props.testId} data-points={points.length}>
      <figcaption>{props.title}</figcaption>
      <div className="chart-body">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 4, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={{ fontSize: 11 }} allowDecimals={false} />
            <YAxis domain={props.yDomain ?? ['auto', 'auto']} tick={{ fontSize: 11 }} width={44} tickFormatter={props.yFormat} />
            <Tooltip isAnimationActive={false} formatter={(v) => (typeof v === 'number' ? v.toPrecision(4) : String(v))} labelFormatter={(s) => `step ${s}`} />
            {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
            {series.map((s) => (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.label}
                stroke={s.color}
                dot={false}
                isAnimationActive={false}
                connectNulls
                strokeWidth={1.6}
                strokeDasharray={s.dashed ? '4 3' : undefined}
              />
            ))}
            {props.reference && (
              <ReferenceLine y={props.reference.y} stroke="#6b7280" strokeDasharray="6 3" label={{ value: props.reference.label, fontSize: 11, fill: '#374151', position: 'insideTopLeft' }} />
            )}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
