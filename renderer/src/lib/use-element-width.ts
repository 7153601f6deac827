import { useLayoutEffect, useState, type RefObject } from 'react';

/**
 * Width of an element, tracked with ResizeObserver. Charts get explicit pixel sizes from this instead
 * of recharts' ResponsiveContainer, so they render nothing (not a warning) while unmeasured (jsdom).
 */
export function useElementWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(Math.floor(element.getBoundingClientRect().width));
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const entry = entries[0];
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
