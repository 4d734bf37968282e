import { memo, useEffect, useRef } from 'react';
import type { DecisionBoundary as Boundary } from '../../domain/boundary';

/**
 * The model's P(class 1) over the 2D input plane as a canvas heatmap (an SVG grid of 4,000+ cells
 * would be too slow to redraw every few steps). Orange = class 0, blue = class 1, as in TF Playground.
 */
export const DecisionBoundary = memo(function DecisionBoundary({
  boundary,
  points,
}: {
  boundary?: Boundary;
  points?: { x: Float32Array; y: Int32Array };
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
        ctx.arc(px, py, 2.5, 0, 2 * Math.PI);
        ctx.fillStyle = points.y[i] === 1 ? '#0877bd' : '#f59322';
        ctx.strokeStyle = 'white';
        ctx.lineWidth = 0.8;
        ctx.fill();
        ctx.stroke();
      }
    }
  }, [boundary, points]);

  return (
    <figure className="chart chart-square" data-testid="decision-boundary" data-step={boundary?.step ?? -1}>
      <figcaption>Decision boundary{boundary ? ` (step ${boundary.step})` : ''}</figcaption>
      <canvas ref={ref} width={260} height={260} aria-label="Decision boundary heatmap" />
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
