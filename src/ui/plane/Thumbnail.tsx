import { useEffect, useRef } from 'react';
import type { GradientPlane } from '../../domain/gradientPlane';

/** One sample's image from the plane's 8-bit thumbnails, drawn pixel for pixel and scaled by CSS. */
export function Thumbnail({ images, index }: { images: NonNullable<GradientPlane['thumbnails']>; index: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const { width, height, pixels } = images;
    const img = ctx.createImageData(width, height);
    const offset = index * width * height;
    for (let p = 0; p < width * height; p++) {
      const v = pixels[offset + p];
      img.data.set([v, v, v, 255], 4 * p);
    }
    ctx.putImageData(img, 0, 0);
  }, [images, index]);
  return <canvas ref={ref} className="plane-thumb" width={images.width} height={images.height} data-testid="plane-thumb" />;
}
