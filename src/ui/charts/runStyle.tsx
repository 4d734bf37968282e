import { RUN_COLORS } from '../../store/runLabels';

/**
 * A run's look in every chart: its colour and, as a second channel for readers who cannot tell the
 * colours apart (or print in grey), its own marker shape. The marker follows the colour's place in
 * the palette, so a run keeps both for its whole life.
 */
export const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'cross', 'triangle-down', 'plus', 'star'] as const;
export type MarkerShape = (typeof MARKERS)[number];

export function markerOf(color: string): MarkerShape {
  const k = RUN_COLORS.indexOf(color);
  return MARKERS[(k < 0 ? 0 : k) % MARKERS.length];
}

/** SVG path of a marker of radius r centred on (0, 0). */
function markerPath(shape: MarkerShape, r: number): string {
  const h = r * 0.866;
  switch (shape) {
    case 'circle':
      return `M ${-r} 0 A ${r} ${r} 0 1 0 ${r} 0 A ${r} ${r} 0 1 0 ${-r} 0 Z`;
    case 'square':
      return `M ${-r * 0.85} ${-r * 0.85} H ${r * 0.85} V ${r * 0.85} H ${-r * 0.85} Z`;
    case 'triangle':
      return `M 0 ${-r} L ${h} ${r / 2} L ${-h} ${r / 2} Z`;
    case 'triangle-down':
      return `M 0 ${r} L ${h} ${-r / 2} L ${-h} ${-r / 2} Z`;
    case 'diamond':
      return `M 0 ${-r} L ${r} 0 L 0 ${r} L ${-r} 0 Z`;
    case 'cross':
      return `M ${-r} ${-r} L ${r} ${r} M ${r} ${-r} L ${-r} ${r}`;
    case 'plus':
      return `M ${-r} 0 H ${r} M 0 ${-r} V ${r}`;
    case 'star': {
      const pts = Array.from({ length: 10 }, (_, i) => {
        const a = (Math.PI / 5) * i - Math.PI / 2;
        const rr = i % 2 === 0 ? r * 1.15 : r * 0.5;
        return `${(rr * Math.cos(a)).toFixed(2)} ${(rr * Math.sin(a)).toFixed(2)}`;
      });
      return `M ${pts.join(' L ')} Z`;
    }
  }
}

/** Open shapes (lines only) are stroked; the others filled. */
const STROKED: readonly MarkerShape[] = ['cross', 'plus'];

export function Marker(props: { shape: MarkerShape; color: string; x: number; y: number; r?: number }) {
  const stroked = STROKED.includes(props.shape);
  return (
    <path
      d={markerPath(props.shape, props.r ?? 3.5)}
      transform={`translate(${props.x} ${props.y})`}
      fill={stroked ? 'none' : props.color}
      stroke={stroked ? props.color : 'white'}
      strokeWidth={stroked ? 1.8 : 0.8}
    />
  );
}

/** A legend swatch: a short line in the run's colour and dash, with its marker in the middle. */
export function RunSwatch(props: { color: string; dashed?: boolean; marker?: boolean }) {
  return (
    <svg className="run-swatch" width="28" height="12" viewBox="0 0 28 12" aria-hidden>
      <line x1="1" y1="6" x2="27" y2="6" stroke={props.color} strokeWidth="2" strokeDasharray={props.dashed ? '4 3' : undefined} />
      {props.marker !== false && <Marker shape={markerOf(props.color)} color={props.color} x={14} y={6} />}
    </svg>
  );
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
