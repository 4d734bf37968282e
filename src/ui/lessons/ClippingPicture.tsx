/**
 * The picture-level explanation on the welcome screen: per-sample gradients as arrows, each clipped
 * to a circle of radius R (one arrow, the outlier, is cut short), summed, and blurred by noise.
 * Static SVG, no data: it explains the mechanism, the charts show the numbers.
 */
const ARROWS: [number, number][] = [
  [22, -8],
  [18, 10],
  [-6, 20],
  [25, 4],
  [70, -46], // the outlier
];
const R = 28;

function clip([x, y]: [number, number]): [number, number] {
  const n = Math.hypot(x, y);
  return n > R ? [(x * R) / n, (y * R) / n] : [x, y];
}

function Arrows({ cx, cy, vectors, colour }: { cx: number; cy: number; vectors: [number, number][]; colour: string }) {
  return (
    <>
      {vectors.map(([x, y], i) => (
        <line key={i} x1={cx} y1={cy} x2={cx + x} y2={cy + y} stroke={colour} strokeWidth={2} markerEnd="url(#arrowhead)" />
      ))}
    </>
  );
}

export function ClippingPicture() {
  const clipped = ARROWS.map(clip);
  const sum = clipped.reduce(([a, b], [x, y]) => [a + x, b + y], [0, 0]);
  return (
    <svg
      className="clipping-picture"
      viewBox="0 0 520 150"
      role="img"
      aria-label="Per-sample gradients, one much longer than the rest; each is clipped to length R; the clipped gradients are summed and noise is added"
    >
      <defs>
        <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="currentColor" />
        </marker>
      </defs>
      <g>
        <Arrows cx={60} cy={85} vectors={ARROWS} colour="#6b7280" />
        <text x={20} y={145} fontSize={12}>
          1. per-sample gradients
        </text>
      </g>
      <g>
        <circle cx={230} cy={85} r={R} fill="none" stroke="#2563eb" strokeDasharray="4 3" />
        <Arrows cx={230} cy={85} vectors={clipped} colour="#2563eb" />
        <text x={180} y={145} fontSize={12}>
          2. clip each to norm R
        </text>
      </g>
      <g>
        <circle cx={400 + sum[0] / 3} cy={85 + sum[1] / 3} r={16} fill="#dc2626" opacity={0.18} />
        <line x1={400} y1={85} x2={400 + sum[0] / 3} y2={85 + sum[1] / 3} stroke="#111827" strokeWidth={3} markerEnd="url(#arrowhead)" />
        <text x={350} y={145} fontSize={12}>
          3. sum, then add noise σ·R
        </text>
      </g>
    </svg>
  );
}
