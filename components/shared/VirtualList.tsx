import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';

const OVERSCAN = 6;

export interface Range {
  start: number;
  end: number;
}

/**
 * The rows a fixed-height viewport shows at `scrollTop`, with a few extra on each side. A scroll
 * position past the end (the list just got shorter) shows the last rows rather than none.
 */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number): Range {
  const visible = Math.ceil(viewport / rowHeight);
  const first = Math.min(Math.floor(Math.max(0, scrollTop) / rowHeight), Math.max(0, count - visible));
  return { start: Math.max(0, first - OVERSCAN), end: Math.min(count, first + visible + OVERSCAN) };
}

interface Props<T> {
  items: readonly T[];
  rowKey: (item: T) => string;
  renderRow: (item: T) => ComponentChildren;
  /** Attributes of a row's `<li>`, e.g. its test id and data attributes. */
  rowProps?: (item: T) => Record<string, string>;
  /** Accessible name of the scrolling region. */
  label: string;
  rowHeight: number;
  height: number;
  testId?: string;
}

/**
 * A list of fixed-height rows that renders only what the viewport shows, so thousands of rows
 * cost the same as a screenful. The region is focusable so the keyboard can scroll it.
 */
export function VirtualList<T>({
  items,
  rowKey,
  renderRow,
  rowProps,
  label,
  rowHeight,
  height,
  testId,
}: Props<T>) {
  const [scrollTop, setScrollTop] = useState(0);
  const viewport = Math.min(height, items.length * rowHeight);
  const { start, end } = visibleRange(scrollTop, height, rowHeight, items.length);
  const rows: JSX.Element[] = [];
  for (let index = start; index < end; index++) {
    const item = items[index] as T;
    rows.push(
      <li
        key={rowKey(item)}
        class="virtual-row"
        style={{ top: `${index * rowHeight}px`, height: `${rowHeight}px` }}
        aria-setsize={items.length}
        aria-posinset={index + 1}
        {...rowProps?.(item)}
      >
        {renderRow(item)}
      </li>,
    );
  }
  return (
    <section
      class="virtual-scroll"
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to scroll by keyboard
      tabIndex={0}
      style={{ height: `${viewport}px` }}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <ul class="virtual-list" data-testid={testId} style={{ height: `${items.length * rowHeight}px` }}>
        {rows}
      </ul>
    </section>
  );
}
