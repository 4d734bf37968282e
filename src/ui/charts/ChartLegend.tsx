import { RunSwatch } from './runStyle';

export interface LegendRun {
  id: string;
  label: string;
  color: string;
}

/**
 * The legend under a chart: every run it draws (colour, marker, name with its dataset) and, when the
 * chart has more than one line per run, what each line style means.
 */
export function ChartLegend(props: { runs: readonly LegendRun[]; styles?: readonly { name: string; dashed?: boolean }[] }) {
  if (props.runs.length === 0) return null;
  const styles = props.styles && props.styles.length > 1 ? props.styles : [];
  return (
    <ul className="chart-legend" data-testid="chart-legend">
      {props.runs.map((r) => (
        <li key={r.id} data-testid="legend-run">
          <RunSwatch color={r.color} />
          {r.label}
        </li>
      ))}
      {styles.map((s) => (
        <li key={s.name} className="legend-style">
          <RunSwatch color="#374151" dashed={s.dashed} marker={false} />
          {s.name}
        </li>
      ))}
    </ul>
  );
}

/** The chart as text: each run's last value of each series, for screen readers and exact reading. */
export function LastValuesTable(props: {
  caption: string;
  runs: readonly LegendRun[];
  columns: readonly { name: string; value: (runId: string) => string }[];
}) {
  if (props.runs.length === 0) return null;
  return (
    <details className="chart-table">
      <summary>Last values</summary>
      <table>
        <caption className="sr-only">{props.caption}: last values</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            {props.columns.map((c) => (
              <th key={c.name} scope="col">
                {c.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.runs.map((r) => (
            <tr key={r.id}>
              <th scope="row">{r.label}</th>
              {props.columns.map((c) => (
                <td key={c.name}>{c.value(r.id)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
