import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReactElement, ReactNode, RefObject } from 'react';

interface Measured {
  height: number;
  /** The list width it was measured at; another width means the height is stale. */
  width: number;
}

interface Layout {
  /** offsets[i] = top of item i; offsets[n] = total height. */
  offsets: number[];
}

interface Range {
  start: number;
  /** Exclusive. */
  end: number;
}

export interface VirtualListProps<T> {
  items: readonly T[];
  itemKey: (item: T) => string;
  /** Height before the item was ever rendered at this width. */
  estimate: (item: T, width: number) => number;
  renderItem: (item: T) => ReactNode;
  /** The element that scrolls. */
  scrollRoot: RefObject<HTMLElement | null>;
  /** Pixels rendered above and below the viewport, once the first screen has painted or the user scrolls. */
  overscan?: number;
  className?: string;
}

/** First index whose bottom is below `y` (binary search over the offsets). */
const firstBelow = (offsets: number[], y: number): number => {
  let low = 0;
  let high = offsets.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((offsets[mid + 1] ?? Infinity) > y) high = mid;
    else low = mid + 1;
  }
  return low;
};

const recordAnchor = (
  root: HTMLElement,
  list: HTMLElement,
  anchor: { current: { key: string; top: number; scrollTop: number } | undefined },
): void => {
  const rootTop = root.getBoundingClientRect().top;
  for (const row of list.children) {
    if (!(row instanceof HTMLElement) || !row.dataset.virtualKey) continue;
    const rect = row.getBoundingClientRect();
    if (rect.bottom > rootTop) {
      anchor.current = { key: row.dataset.virtualKey, top: rect.top - rootTop, scrollTop: root.scrollTop };
      return;
    }
  }
  anchor.current = undefined;
};

/** Until the window is measured: the rows the viewport can hold by their estimates. */
const firstScreen = (layout: Layout): Range => rangeFor(layout, 0, window.innerHeight);

const rangeFor = (layout: Layout, from: number, to: number): Range => {
  const count = layout.offsets.length - 1;
  if (count <= 0) return { start: 0, end: 0 };
  const start = Math.min(firstBelow(layout.offsets, from), count - 1);
  let end = start;
  while (end < count && (layout.offsets[end] ?? 0) < to) end++;
  return { start, end: Math.max(end, start + 1) };
};

/**
 * A windowed list: only items near the viewport are in the DOM, the rest are
 * padding of their measured (or estimated) height, so memory and DOM size stay
 * bounded however long the list. Items keep their natural layout between two
 * spacers; the list holds the first visible row in place itself when rows above
 * it come, go or change height (the browser's own scroll anchoring does not
 * survive rows being swapped for spacer height).
 */
export const VirtualList = <T,>({
  items,
  itemKey,
  estimate,
  renderItem,
  scrollRoot,
  overscan = 1000,
  className,
}: VirtualListProps<T>): ReactElement => {
  const list = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [heights, setHeights] = useState<ReadonlyMap<string, Measured>>(() => new Map());
  const [range, setRange] = useState<Range | undefined>(undefined);
  // The first screen alone first (its images are the ones to fetch); the overscan after it has painted.
  const [margin, setMargin] = useState(0);

  const layout = useMemo<Layout>(() => {
    const offsets = [0];
    let top = 0;
    for (const item of items) {
      const measured = heights.get(itemKey(item));
      top += measured && measured.width === width ? measured.height : estimate(item, width);
      offsets.push(top);
    }
    return { offsets };
  }, [items, heights, width, itemKey, estimate]);

  // The scroll handler reads the latest layout without re-subscribing.
  const latest = useRef(layout);
  useLayoutEffect(() => {
    latest.current = layout;
  }, [layout]);

  const frame = useRef(0);
  const schedule = useRef<() => void>(() => undefined);
  /** The first row on screen and where it was, so a change above it does not move what the user looks at. */
  const anchor = useRef<{ key: string; top: number; scrollTop: number } | undefined>(undefined);

  useEffect(() => {
    const root = scrollRoot.current;
    const element = list.current;
    if (!root || !element) return;
    const read = (): void => {
      frame.current = 0;
      const top = root.getBoundingClientRect().top - element.getBoundingClientRect().top;
      const next = rangeFor(latest.current, top - margin, top + root.clientHeight + margin);
      setRange((prev) => (prev?.start === next.start && prev.end === next.end ? prev : next));
      setWidth(element.clientWidth);
    };
    schedule.current = () => {
      if (!frame.current) frame.current = window.requestAnimationFrame(read);
    };
    const onScroll = (): void => {
      recordAnchor(root, element, anchor);
      setMargin(overscan);
      schedule.current();
    };
    root.addEventListener('scroll', onScroll, { passive: true });
    const resize = new ResizeObserver(() => schedule.current());
    resize.observe(root);
    resize.observe(element);
    schedule.current();
    return () => {
      root.removeEventListener('scroll', onScroll);
      resize.disconnect();
      window.cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
  }, [scrollRoot, overscan, margin]);

  // Once the first screen has painted (the browser is idle), rows beyond it are rendered ahead.
  const hasItems = items.length > 0;
  useEffect(() => {
    if (!hasItems || margin === overscan) return;
    const idle = window.requestIdleCallback?.(() => setMargin(overscan), { timeout: 1000 });
    const timer = idle === undefined ? window.setTimeout(() => setMargin(overscan), 200) : undefined;
    return () => {
      if (idle !== undefined) window.cancelIdleCallback(idle);
      window.clearTimeout(timer);
    };
  }, [hasItems, margin, overscan]);

  // New items or heights move the window: recompute it on the next frame.
  useEffect(() => {
    schedule.current();
  }, [layout]);

  const count = items.length;
  // Rows that arrive before the window is measured again fill the first screen at once, not a frame later.
  const shown = range === undefined || range.end === 0 ? firstScreen(layout) : range;
  const start = Math.min(shown.start, Math.max(0, count - 1));
  const end = Math.min(Math.max(shown.end, start), count);

  // When the rows change (added, resized, or swapped for spacer above the first visible one),
  // that row would move: scroll by as much, so the view holds still. Only once the user has
  // scrolled (the anchor is recorded on scroll): at the very top new rows show instead, and
  // nothing here reads the layout, so commits at start force none.
  useLayoutEffect(() => {
    const root = scrollRoot.current;
    const element = list.current;
    const held = anchor.current;
    if (!root || !element || !held || held.scrollTop === 0) return;
    if (Math.abs(root.scrollTop - held.scrollTop) < 1) {
      const row = element.querySelector(`[data-virtual-key="${CSS.escape(held.key)}"]`);
      if (row) {
        const delta = row.getBoundingClientRect().top - root.getBoundingClientRect().top - held.top;
        if (Math.abs(delta) >= 1) root.scrollBy({ top: delta, behavior: 'instant' });
      }
    }
    recordAnchor(root, element, anchor);
  }, [scrollRoot, layout, start]);

  const [measure] = useState(
    () =>
      new ResizeObserver((entries) => {
        setHeights((prev) => {
          let next: Map<string, Measured> | undefined;
          for (const entry of entries) {
            const target = entry.target as HTMLElement;
            const key = target.dataset.virtualKey;
            if (!key || !target.isConnected) continue;
            const height = entry.borderBoxSize[0]?.blockSize ?? target.offsetHeight;
            const width = target.parentElement?.clientWidth ?? 0;
            const old = prev.get(key);
            if (old && Math.abs(old.height - height) < 0.5 && old.width === width) continue;
            next ??= new Map(prev);
            next.set(key, { height, width });
          }
          return next ?? prev;
        });
      }),
  );
  useEffect(() => () => measure.disconnect(), [measure]);
  // One stable callback, so React does not detach and re-attach every row on each render.
  const [observeRow] = useState(() => (element: HTMLDivElement | null) => {
    if (!element) return;
    measure.observe(element);
    return () => measure.unobserve(element);
  });

  const total = layout.offsets[count] ?? 0;
  const padTop = layout.offsets[start] ?? 0;
  const padBottom = Math.max(0, total - (layout.offsets[end] ?? total));

  return (
    <div ref={list} className={className}>
      <div className="ss-virtual-spacer" style={{ height: padTop }} aria-hidden="true" />
      {items.slice(start, end).map((item) => {
        const key = itemKey(item);
        return (
          <div key={key} className="ss-virtual-row" data-virtual-key={key} ref={observeRow}>
            {renderItem(item)}
          </div>
        );
      })}
      <div className="ss-virtual-spacer" style={{ height: padBottom }} aria-hidden="true" />
    </div>
  );
};
