import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * The latest `value`, but updated at most once per `intervalMs`, and only while `active` (e.g. the
 * chart is on screen). Each chart throttles its own input, so a fast metric stream re-renders charts
 * a couple of times a second, each in its own task, instead of all of them in every animation frame:
 * recharts renders are the main thread's biggest cost.
 */
export function useThrottled<T>(value: T, intervalMs: number, active = true): T {
  const [shown, setShown] = useState(value);
  const lastShown = useRef(0);
  const latest = useRef(value);
  latest.current = value;
  useEffect(() => {
    if (!active || Object.is(value, shown)) return;
    const wait = lastShown.current + intervalMs - performance.now();
    const timer = setTimeout(
      () => {
        lastShown.current = performance.now();
        setShown(() => latest.current);
      },
      Math.max(0, wait),
    );
    return () => clearTimeout(timer);
  }, [value, shown, intervalMs, active]);
  return shown;
}

/** Whether the element is (near) the viewport; charts scrolled away stop refreshing. */
export function useOnScreen(ref: RefObject<Element | null>): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => setVisible(entries.some((e) => e.isIntersecting)), { rootMargin: '100px' });
    io.observe(el);
    return () => io.disconnect();
  }, [ref]);
  return visible;
}
