import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { VirtualList, visibleRange } from './VirtualList';

describe('visibleRange', () => {
  it('covers the viewport plus a few rows each side', () => {
    expect(visibleRange(0, 300, 50, 1000)).toEqual({ start: 0, end: 12 });
    expect(visibleRange(5000, 300, 50, 1000)).toEqual({ start: 94, end: 112 });
  });

  it('shows the last rows when scrolled past the end of a list that got shorter', () => {
    expect(visibleRange(10_000, 300, 50, 20)).toEqual({ start: 8, end: 20 });
    expect(visibleRange(0, 300, 50, 0)).toEqual({ start: 0, end: 0 });
  });
});

const items = Array.from({ length: 5000 }, (_, index) => `item ${index}`);

function renderList() {
  return render(
    <VirtualList
      items={items}
      rowKey={(item) => item}
      renderRow={(item) => item}
      rowProps={(item) => ({ 'data-testid': 'row', 'data-item': item })}
      label="Items"
      rowHeight={50}
      height={300}
      testId="list"
    />,
  );
}

describe('VirtualList', () => {
  it('renders only a window of 5,000 rows, sized for all of them', () => {
    renderList();
    const rows = screen.getAllByTestId('row');
    expect(rows.length).toBeLessThan(30);
    expect(rows[0]?.textContent).toBe('item 0');
    expect(screen.getByTestId('list').style.height).toBe('250000px');
    expect(rows[0]?.getAttribute('aria-setsize')).toBe('5000');
  });

  it('moves the window when scrolled', () => {
    renderList();
    const region = screen.getByRole('region', { name: 'Items' });
    region.scrollTop = 100_000;
    fireEvent.scroll(region);
    const shown = screen.getAllByTestId('row').map((row) => row.dataset.item);
    expect(shown).toContain('item 2000');
    expect(shown).not.toContain('item 0');
  });

  it('is a focusable region so the keyboard can scroll it', () => {
    renderList();
    expect(screen.getByRole('region', { name: 'Items' }).tabIndex).toBe(0);
  });
});
