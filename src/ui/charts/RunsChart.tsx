import { memo, useMemo, useRef, type Key, type ReactNode } from 'react';
import { useOnScreen, useThrottled } from '../useThrottled';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricPoint } from '../../domain/metricPoint';
import { lttb } from './downsample';
import { ChartLegend, LastValuesTable } from './ChartLegend';
import { Marker, markerOf } from './runStyle';

/** Charts keep at most this many points per series: SVG stays smooth with 10,000+ steps. */
export const MAX_CHART_POINTS = 300;

/** Live charts refresh at most this often (each in its own task). */
export const CHART_REFRESH_MS = 800;

export type MetricKey = 'loss' | 'trainAcc' | 'testAcc' | 'testLoss' | 'epsilon' | 'epsilonRdp' | 'signalNorm' | 'noiseNorm';
export type XAxisKind = 'step' | 'epoch';

export interface ChartRun {
  id: string;
  label: string;
  color: string;
  metrics: readonly MetricPoint[];
  /** Extra points drawn dashed after the series, e.g. the ε projection to the end of training. */
  projection?: { step: number; epoch: number; value: number }[];
  /** Events drawn as vertical lines at their step, e.g. a learning rate changed mid-run. */
  marks?: { step: number; label: string }[];
}

/** x of a step on the chosen axis: epochs grow linearly with steps (epoch = step · B/N). */
function markX(run: ChartRun, step: number, xAxis: XAxisKind): number | undefined {
  if (xAxis === 'step') return step;
  const last = run.metrics[run.metrics.length - 1];
  return last && last.step > 0 ? (step * last.epoch) / last.step : undefined;
}

export interface SeriesSpec {
  /** The metric drawn, or a name for the value `value` derives from each point. */
  key: MetricKey | string;
  /** Suffix in the legend/tooltip, e.g. "test". */
  name: string;
  dashed?: boolean;
  /** A value derived from a point (e.g. a ratio of two metrics); by default the metric `key`. */
  value?: (p: MetricPoint) => number | undefined;
}

/** A series' value at a point: derived, or the metric itself. */
function valueOf(s: SeriesSpec, p: MetricPoint): number | undefined {
  const v = s.value ? s.value(p) : (p[s.key as MetricKey] as number | undefined);
  return v === undefined || !Number.isFinite(v) ? undefined : v;
}

/** One marker every this many points of a line: enough to tell the runs apart, few enough to read. */
const MARKER_EVERY = 12;

/**
 * One live chart with a line per (run, metric): every run in its own colour, the same metric style
 * across runs. Each series is LTTB-downsampled on its own steps before the series are merged by x, and
 * animation is off because a chart that animates every frame never settles.
 */
export interface RunsChartProps {
  title: string;
  /** The title as shown, with its DP terms as glossary help (src/ui/lessons/Term.tsx); `title` is its plain text. */
  heading?: ReactNode;
  testId: string;
  runs: readonly ChartRun[];
  series: SeriesSpec[];
  xAxis: XAxisKind;
  yDomain?: [number | 'auto', number | 'auto' | ((dataMax: number) => number)];
  yFormat?: (v: number) => string;
  reference?: { y: number; label: string };
  empty?: string;
  /** Logarithmic y axis (for values spanning orders of magnitude; non-positive values are left out). */
  logScale?: boolean;
  /** One line under the chart saying how to read it. */
  note?: string;
}

/** Throttles the live input; the chart body below renders only when the throttled value changes. */
export function RunsChart(props: RunsChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const runs = useThrottled(props.runs, CHART_REFRESH_MS, useOnScreen(ref));
  return (
    <div ref={ref} className="chart-slot">
      <RunsChartBody {...props} runs={runs} />
    </div>
  );
}

const RunsChartBody = memo(function RunsChartBody(props: RunsChartProps) {
  const { runs, series, xAxis } = props;
  const data = useMemo(() => {
    const rows = new Map<number, Record<string, number>>();
    const put = (x: number, col: string, v: number) => {
      const row = rows.get(x) ?? { x };
      row[col] = v;
      rows.set(x, row);
    };
    for (const run of runs) {
      for (const s of series) {
        const defined = run.metrics.filter((p) => {
          const v = valueOf(s, p);
          return v !== undefined && (!props.logScale || v > 0);
        });
        const picked = lttb(
          defined,
          MAX_CHART_POINTS,
          (p) => p[xAxis],
          (p) => valueOf(s, p) as number,
        );
        for (const p of picked) put(p[xAxis], `${run.id}:${s.key}`, valueOf(s, p) as number);
      }
      if (run.projection) for (const p of run.projection) put(p[xAxis], `${run.id}:projection`, p.value);
    }
    return [...rows.values()].sort((a, b) => a.x - b.x);
  }, [runs, series, xAxis, props.logScale]);
  const totalPoints = runs.reduce((n, r) => n + r.metrics.length, 0);
  const marks = runs.flatMap((run) =>
    (run.marks ?? []).flatMap((m) => {
      const x = markX(run, m.step, xAxis);
      return x === undefined
        ? []
        : [{ key: `${run.id}:${m.step}`, x, color: run.color, label: m.label, text: `${run.label}: ${m.label} from step ${m.step}` }];
    }),
  );
  const lastValue = (runId: string, s: SeriesSpec) => {
    const run = runs.find((r) => r.id === runId);
    for (let i = (run?.metrics.length ?? 0) - 1; i >= 0; i--) {
      const v = valueOf(s, run!.metrics[i]);
      if (v !== undefined) return props.yFormat ? props.yFormat(v) : v.toPrecision(4);
    }
    return '—';
  };

  return (
    <figure className="chart" data-testid={props.testId} data-points={totalPoints} data-runs={runs.length} data-marks={marks.length}>
      <figcaption>{props.heading ?? props.title}</figcaption>
      <div className="chart-body">
        {totalPoints === 0 ? (
          <p className="empty">{props.empty ?? 'Press Train to start.'}</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 4, right: 12, bottom: 4, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis
                dataKey="x"
                type="number"
                domain={['dataMin', 'dataMax']}
                tick={{ fontSize: 11 }}
                allowDecimals={xAxis === 'epoch'}
                tickFormatter={(v: number) => (xAxis === 'epoch' ? v.toFixed(1) : String(v))}
              />
              <YAxis
                scale={props.logScale ? 'log' : 'auto'}
                domain={props.yDomain ?? ['auto', 'auto']}
                tick={{ fontSize: 11 }}
                width={44}
                tickFormatter={props.yFormat ?? ((v: number) => String(Number(v.toPrecision(3))))}
              />
              <Tooltip
                isAnimationActive={false}
                // Above the neighbouring charts (they come later in the page), and free to leave the plot vertically.
                wrapperStyle={TOOLTIP_WRAPPER}
                contentStyle={TOOLTIP_CONTENT}
                allowEscapeViewBox={TOOLTIP_ESCAPE}
                formatter={(v) => (typeof v === 'number' ? v.toPrecision(4) : String(v))}
                labelFormatter={(x) => (xAxis === 'epoch' ? `epoch ${Number(x).toFixed(2)}` : `step ${x}`)}
              />
              {runs.flatMap((run, runIndex) => [
                ...series.map((s) => (
                  <Line
                    key={`${run.id}:${s.key}`}
                    dataKey={`${run.id}:${s.key}`}
                    name={`${run.label} · ${s.name}`}
                    stroke={run.color}
                    strokeDasharray={s.dashed ? '4 3' : undefined}
                    strokeOpacity={s.dashed ? 0.7 : 1}
                    dot={markerDot(run.color, runIndex)}
                    activeDot={false}
                    isAnimationActive={false}
                    connectNulls
                    strokeWidth={1.6}
                  />
                )),
                ...(run.projection
                  ? [
                      <Line
                        key={`${run.id}:projection`}
                        dataKey={`${run.id}:projection`}
                        name={`${run.label} · projected`}
                        stroke={run.color}
                        strokeDasharray="2 4"
                        dot={{ r: 2 }}
                        isAnimationActive={false}
                        connectNulls
                        strokeWidth={1.2}
                      />,
                    ]
                  : []),
              ])}
              {marks.map((m) => (
                <ReferenceLine
                  key={m.key}
                  x={m.x}
                  stroke={m.color}
                  strokeDasharray="2 2"
                  className="run-mark"
                  label={{ value: m.label, fontSize: 10, fill: '#374151', position: 'insideTopRight' }}
                />
              ))}
              {props.reference && (
                <ReferenceLine
                  y={props.reference.y}
                  stroke="#6b7280"
                  strokeDasharray="6 3"
                  label={{ value: props.reference.label, fontSize: 11, fill: '#374151', position: 'insideTopLeft' }}
                />
              )}
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>
      {props.note && <p className="chart-foot">{props.note}</p>}
      {marks.length > 0 && (
        <p className="chart-foot" data-testid="chart-marks">
          Dotted vertical lines: {marks.map((m) => m.text).join('; ')}.
        </p>
      )}
      <ChartLegend runs={runs} styles={series} />
      {totalPoints > 0 && (
        <LastValuesTable
          caption={props.title}
          runs={runs}
          columns={series.map((s) => ({ name: s.name, value: (runId: string) => lastValue(runId, s) }))}
        />
      )}
    </figure>
  );
});

export const TOOLTIP_WRAPPER = { zIndex: 30 } as const;
export const TOOLTIP_CONTENT = { fontSize: 12, padding: '4px 8px', lineHeight: 1.3 } as const;
export const TOOLTIP_ESCAPE = { x: false, y: true } as const;

/**
 * The run's marker on every MARKER_EVERY-th point of its line (offset by run, so markers of close
 * lines do not sit on each other): the second channel besides colour.
 */
function markerDot(color: string, runIndex: number) {
  const shape = markerOf(color);
  const offset = (runIndex * 5) % MARKER_EVERY;
  return function RunMarkerDot(p: { cx?: number; cy?: number; index?: number; value?: unknown; key?: Key | null }) {
    const key = p.key ?? undefined;
    if (p.cx == null || p.cy == null || p.value == null || ((p.index ?? 0) + offset) % MARKER_EVERY !== 0) return <g key={key} />;
    return <Marker key={key} shape={shape} color={color} x={p.cx} y={p.cy} />;
  };
}
