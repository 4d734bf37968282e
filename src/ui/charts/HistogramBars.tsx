import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { TOOLTIP_CONTENT, TOOLTIP_ESCAPE, TOOLTIP_WRAPPER } from './RunsChart';

/** One bin of a histogram: its centre and how many samples fell in it. */
export interface HistogramBin {
  mid: number;
  count: number;
}

/**
 * The bars of a per-sample histogram (the norm and clip-factor charts): counts over bin centres,
 * a tooltip naming the bin, and `children` drawn on top (e.g. a threshold line).
 */
export function HistogramBars(props: {
  data: HistogramBin[];
  xDomain: [number, number | 'dataMax'];
  fill: string;
  /** The tooltip's title for the bin centred on `mid`. */
  binLabel: (mid: number) => string;
  children?: ReactNode;
}) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={props.data} margin={{ top: 4, right: 12, bottom: 4, left: 0 }} barCategoryGap={0}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="mid" type="number" domain={props.xDomain} tick={{ fontSize: 11 }} tickFormatter={(v: number) => v.toPrecision(2)} />
        <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={36} />
        <Tooltip
          isAnimationActive={false}
          wrapperStyle={TOOLTIP_WRAPPER}
          contentStyle={TOOLTIP_CONTENT}
          allowEscapeViewBox={TOOLTIP_ESCAPE}
          formatter={(v) => [String(v), 'samples']}
          labelFormatter={(m) => props.binLabel(Number(m))}
        />
        <Bar dataKey="count" fill={props.fill} isAnimationActive={false} />
        {props.children}
      </BarChart>
    </ResponsiveContainer>
  );
}
