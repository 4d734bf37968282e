import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { GradientPlane } from '../../domain/gradientPlane';
import { extentOf, fmt, interpolate, median, pointOf, sumOf } from './geometry';
import { Thumbnail } from './Thumbnail';
import { Term } from '../lessons/Term';

const SIZE = 320;
const HALF = SIZE / 2;
const ANIMATION_MS = 700;

function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;
}

/** Animates t from where it is toward 0 (raw) or 1 (clipped); jumps when the user prefers reduced motion. */
function useTransition(clipped: boolean): number {
  const [t, setT] = useState(clipped ? 1 : 0);
  const current = useRef(t);
  useEffect(() => {
    const target = clipped ? 1 : 0;
    const from = current.current;
    const show = (v: number) => {
      current.current = v;
      setT(v);
    };
    if (prefersReducedMotion()) {
      show(target);
      return;
    }
    let frame = 0;
    const start = performance.now();
    const tick = (now: number) => {
      const k = Math.min(1, (now - start) / ANIMATION_MS);
      show(from + (target - from) * k * k * (3 - 2 * k));
      if (k < 1) frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [clipped]);
  return t;
}

/** A square SVG centred on the origin, with both axes. */
function PlaneSvg({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <svg viewBox={`${-HALF} ${-HALF} ${SIZE} ${SIZE}`} width={SIZE} height={SIZE} role="img" aria-label={label} data-testid={testId}>
      <line x1={-HALF} x2={HALF} y1={0} y2={0} className="plane-axis" />
      <line y1={-HALF} y2={HALF} x1={0} x2={0} className="plane-axis" />
      {children}
    </svg>
  );
}

interface Props {
  plane: GradientPlane;
  /** The run's colour (legend palette). */
  color: string;
}

/**
 * The gradient plane: every sample's gradient as an arrow in the batch's top two principal
 * directions, before and after clipping, then the clipped sum with its noise disc and the private
 * update. Only a projection: the text says how much of the gradients it shows.
 */
export function GradientPlaneView({ plane, color }: Props) {
  const [clipped, setClipped] = useState(false);
  const [keepRawScale, setKeepRawScale] = useState(false);
  const [hover, setHover] = useState<number | null>(null);
  const t = useTransition(clipped);
  const n = plane.labels.length;
  // What does not move with t, computed once per plane rather than on every animation frame.
  const { rawExtent, clippedExtent, order, medianCaptured, rawSum } = useMemo(
    () => ({
      rawExtent: extentOf(plane.raw, plane.circleRadius),
      clippedExtent: extentOf(plane.clipped, plane.circleRadius),
      order: Array.from({ length: plane.labels.length }, (_, i) => i).sort((a, b) => plane.norms[a] - plane.norms[b]),
      medianCaptured: median(plane.captured),
      rawSum: sumOf(plane.raw),
    }),
    [plane],
  );
  const tips = interpolate(plane, t);
  // The view zooms with the transition (clipped arrows can be 100× shorter than raw ones, R = 0.1),
  // unless the user keeps the raw scale to compare lengths directly.
  const extent = keepRawScale ? rawExtent : rawExtent + t * (clippedExtent - rawExtent);
  const px = (v: number) => (v / extent) * (HALF - 8);
  const automatic = plane.clipping === 'auto-s' || plane.clipping === 'auto-v';
  const h = hover !== null && hover < n ? hover : null;

  // Second panel: the sum of the arrows as they are drawn, from Σ g_i (raw, no bound, so no noise can
  // hide a sample) to Σ C_i g_i with the noise disc σS around it (one standard deviation per axis).
  const sum: [number, number] = [rawSum[0] + t * (plane.clippedSum[0] - rawSum[0]), rawSum[1] + t * (plane.clippedSum[1] - rawSum[1])];
  const rawSumExtent = Math.max(Math.hypot(...rawSum), 1e-12) * 1.15;
  const clippedSumExtent = Math.max(Math.hypot(...plane.clippedSum) + plane.noiseRadius, 1e-12) * 1.15;
  const sumExtent = keepRawScale ? Math.max(rawSumExtent, clippedSumExtent) : rawSumExtent + t * (clippedSumExtent - rawSumExtent);
  const spx = (v: number) => (v / sumExtent) * (HALF - 8);
  return (
    <div className="plane" data-testid="gradient-plane" data-step={plane.step} data-transition={t}>
      <div className="plane-controls">
        <button type="button" onClick={() => setClipped((c) => !c)} aria-pressed={clipped} data-testid="plane-toggle">
          {clipped ? 'Show raw gradients' : 'Clip them'}
        </button>
        <label>
          <input type="checkbox" checked={keepRawScale} onChange={(e) => setKeepRawScale(e.target.checked)} /> keep the raw scale
        </label>
      </div>
      <div className="plane-panels">
        <figure>
          <PlaneSvg
            label={`${n} per-sample gradients in the plane of their top two principal directions, ${clipped ? 'after' : 'before'} clipping`}
            testId="plane-arrows"
          >
            {plane.circleRadius !== null && (
              <circle r={px(plane.circleRadius)} className="plane-circle" data-testid="plane-circle" data-radius={plane.circleRadius} />
            )}
            {order.map((i) => {
              const [x, y] = pointOf(tips, i);
              return (
                <g key={i}>
                  <line
                    x1={0}
                    y1={0}
                    x2={px(x)}
                    y2={-px(y)}
                    stroke={color}
                    className="plane-arrow"
                    opacity={h === null || h === i ? 0.75 : 0.2}
                  />
                  <circle
                    cx={px(x)}
                    cy={-px(y)}
                    r={h === i ? 5 : 3}
                    fill={color}
                    className="plane-tip"
                    data-testid="plane-tip"
                    data-norm={Math.hypot(x, y)}
                    tabIndex={0}
                    aria-label={`sample ${i + 1}, label ${plane.labels[i]}`}
                    onMouseEnter={() => setHover(i)}
                    onFocus={() => setHover(i)}
                    onMouseLeave={() => setHover(null)}
                    onBlur={() => setHover(null)}
                  />
                </g>
              );
            })}
          </PlaneSvg>
          <figcaption>
            {clipped ? <Term k="clipping">Clipped</Term> : 'Raw'} per-sample gradients{' '}
            {plane.circleRadius === null ? (
              '(no clipping)'
            ) : automatic ? (
              <>
                and the unit circle (<Term k="automatic">{plane.clipping.toUpperCase()}</Term> normalises every gradient to length &lt; 1)
              </>
            ) : (
              <>
                and the circle of radius <Term k="R">R</Term> = {fmt(plane.circleRadius)}
              </>
            )}
            . Scale: the square is ±{fmt(extent)}.
          </figcaption>
        </figure>
        <figure>
          <PlaneSvg label={clipped ? 'Clipped sum and noise' : 'Sum of the raw gradients'} testId="plane-sum">
            <circle
              cx={spx(sum[0])}
              cy={-spx(sum[1])}
              r={spx(plane.noiseRadius)}
              fill={color}
              opacity={t}
              className="plane-noise"
              data-testid="plane-noise"
            />
            <line x1={0} y1={0} x2={spx(sum[0])} y2={-spx(sum[1])} stroke={color} className="plane-sum-arrow" />
            <circle cx={spx(sum[0])} cy={-spx(sum[1])} r={4} fill={color} />
          </PlaneSvg>
          <figcaption data-testid="plane-sum-caption">
            {clipped ? (
              <>
                Clipped sum Σ{' '}
                <Term k="clipFactor">
                  C<sub>i</sub>
                </Term>
                g<sub>i</sub> = ({fmt(plane.clippedSum[0])}, {fmt(plane.clippedSum[1])}) and the noise, one standard deviation{' '}
                <Term k="sigma">σ</Term>
                <Term k="S">S</Term> = {fmt(plane.noiseRadius)} per axis (isotropic, so its projection is exact). Private update ÷{' '}
                <Term k="expectedBatch">qN</Term> = {fmt(plane.divisor)}: centre ({fmt(plane.update[0])}, {fmt(plane.update[1])}), noise
                σS/qN = {fmt(plane.updateNoiseRadius)}.
              </>
            ) : (
              <>
                Sum without clipping Σ g<sub>i</sub> = ({fmt(rawSum[0])}, {fmt(rawSum[1])}): nothing bounds one sample’s share of it, so no
                noise of fixed size could hide a sample. Clip them to see the private sum and its noise.
              </>
            )}{' '}
            Scale: ±{fmt(sumExtent)}.
          </figcaption>
        </figure>
      </div>
      <p className="help" data-testid="plane-share">
        A projection, not the whole picture: this plane holds {(100 * plane.batchShare).toFixed(1)}% of the batch’s squared gradient mass
        (λ₁ + λ₂ of Σλ), and shows a median {(100 * medianCaptured).toFixed(0)}% of each gradient’s length. Arrows inside the circle here
        may be longer in the full space.
      </p>
      <div className="plane-hover" aria-live="polite" data-testid="plane-hover">
        {h === null ? (
          <small className="help">
            Hover or focus a point: its label, <Term k="gradNorm">‖gᵢ‖</Term>, <Term k="clipFactor">Cᵢ</Term> and (for images) the example.
          </small>
        ) : (
          <>
            {plane.thumbnails && <Thumbnail images={plane.thumbnails} index={h} />}
            <span>
              label <strong>{plane.labels[h]}</strong> · ‖g<sub>i</sub>‖ = {fmt(plane.norms[h])} · C<sub>i</sub> = {fmt(plane.scales[h])} ·
              ‖C
              <sub>i</sub>g<sub>i</sub>‖ = {fmt(plane.norms[h] * plane.scales[h])} · the plane shows {(100 * plane.captured[h]).toFixed(0)}%
              of it
            </span>
          </>
        )}
      </div>
    </div>
  );
}
