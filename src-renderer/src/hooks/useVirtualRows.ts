import { useEffect, useRef, useState } from 'react';

/**
 * Windowing for a long list of fixed-height rows in a scrolling container: only the rows in view
 * (plus `overscan` on each side) are rendered, with spacers standing in for the rest. State
 * changes only when the first visible row or the container's height does, not on every scroll
 * event.
 */
export function useVirtualRows(count: number, rowHeight: number, overscan = 10) {
  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ first: 0, rows: 30 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => {
      const first = Math.floor(el.scrollTop / rowHeight);
      const rows = Math.ceil(el.clientHeight / rowHeight) + 1;
      setView((prev) => (prev.first === first && prev.rows === rows ? prev : { first, rows }));
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      observer.disconnect();
    };
  }, [rowHeight]);
  const start = Math.max(0, Math.min(count, view.first - overscan));
  const end = Math.min(count, view.first + view.rows + overscan);
  return { ref, start, end, padTop: start * rowHeight, padBottom: Math.max(0, count - end) * rowHeight };
}
