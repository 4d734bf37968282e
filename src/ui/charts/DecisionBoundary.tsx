import { memo, useEffect, useRef } from 'react';
import type { DecisionBoundary as Boundary } from '../../domain/boundary';
import { RunSwatch } from './runStyle';

interface BoundaryRun {
  id: string;
  label: string;
  color: string;
  boundary?: Boundary;
  preview?: { x: Float32Array; y: Int32Array };
}

/**
 * The decision boundaries of the 2D runs, side by side, each named by its run (the active run
 * first), so Abadi at several R and AUTO-S can be compared at a glance.
 */
export function DecisionBoundaries({ runs, activeId }: { runs: readonly BoundaryRun[]; activeId?: string }) {
  const ordered = [...runs].sort((a, b) => Number(b.id === activeId) - Number(a.id === activeId));
  return (
    <figure className={`chart boundaries${ordered.length > 1 ? ' boundaries-many' : ''}`} data-testid="decision-boundaries">
      <figcaption>Decision boundary: P(class 1) over the plane (orange = class 0, blue = class 1; dots are training points)</figcaption>
      <div className="boundary-grid">
        {ordered.map((r) => (
          <DecisionBoundary
            key={r.id}
            label={r.label}
            color={r.color}
            boundary={r.boundary}
            points={r.preview}
            active={r.id === activeId}
          />
        ))}
      </div>
    </figure>
  );
}

/**
 * One run's P(class 1) over the 2D input plane as a canvas heatmap (an SVG grid of 4,000+ cells
 * would be too slow to redraw every few steps). Orange = class 0, blue = class 1, as in TF Playground.
 * Flat props, not the run view (a new object on every metrics batch), so memo skips the boundaries
 * whose picture did not change.
 */
const DecisionBoundary = memo(function DecisionBoundary({
  label,
  color,
  boundary,
  points,
  active,
}: {
  label: string;
  color: string;
  boundary?: Boundary;
  points?: BoundaryRun['preview'];
  active: boolean;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const size = canvas.width;
    ctx.clearRect(0, 0, size, size);
    if (boundary) {
      const { resolution, values } = boundary;
      const image = ctx.createImageData(resolution, resolution);
      for (let i = 0; i < resolution * resolution; i++) {
        const [r, g, b] = colour(values[i]);
        image.data.set([r, g, b, 255], i * 4);
      }
      const off = new OffscreenCanvas(resolution, resolution);
      off.getContext('2d')?.putImageData(image, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(off, 0, 0, size, size);
    }
    if (points) {
      const extent = boundary?.extent ?? 1;
      for (let i = 0; i < points.y.length; i++) {
        const px = ((points.x[2 * i] + extent) / (2 * extent)) * size;
        const py = ((extent - points.x[2 * i + 1]) / (2 * extent)) * size;
        ctx.beginPath();
        ctx.arc(px, py, 3.5, 0, 2 * Math.PI);
        ctx.fillStyle = points.y[i] === 1 ? '#0877bd' : '#f59322';
        ctx.strokeStyle = 'white';
        ctx.lineWidth = 1;
        ctx.fill();
        ctx.stroke();
      }
    }
  }, [boundary, points]);

  return (
    <figure className={`boundary${active ? ' boundary-active' : ''}`} data-testid="decision-boundary" data-step={boundary?.step ?? -1}>
      <canvas
        ref={ref}
        width={400}
        height={400}
        role="img"
        aria-label={`Decision boundary of ${label}${boundary ? ` at step ${boundary.step}` : ' (not trained yet)'}`}
      />
      <figcaption>
        <RunSwatch color={color} />
        {label}
        {boundary ? ` · step ${boundary.step}` : ''}
      </figcaption>
    </figure>
  );
});

/** Diverging orange → white → blue. */
function colour(p: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, p));
  const orange = [245, 147, 34];
  const blue = [8, 119, 189];
  const white = [232, 234, 235];
  const [from, to, u] = t < 0.5 ? [orange, white, t / 0.5] : [white, blue, (t - 0.5) / 0.5];
  return [0, 1, 2].map((k) => Math.round(from[k] + (to[k] - from[k]) * u)) as [number, number, number];
}
