import { describe, expect, it } from 'vitest';
import { fixturePage } from '../../tests/support/crm-fixtures';
import { drawBadges } from './badges';

const badgeOf = (card: Element) => card.querySelector('crm-comagic-badge') as HTMLElement | null;
const label = (card: Element) => badgeOf(card)!.shadowRoot!.querySelector('span')!.textContent;

describe('board badges', () => {
  it('puts one badge in each card that has a state, as text in a shadow root', () => {
    const document = fixturePage('espocrm', 'board-en');
    const [first, second] = document.querySelectorAll('div.item[data-id]');
    const states = { [first!.getAttribute('data-id')!]: 'new' as const };
    drawBadges(document, 'espocrm', states);
    drawBadges(document, 'espocrm', states);
    expect(first!.querySelectorAll('crm-comagic-badge')).toHaveLength(1);
    expect(badgeOf(first!)!.dataset.state).toBe('new');
    expect(label(first!)).toBe('New');
    // The badge's text is in its shadow root: the card reads as it did for the adapter.
    expect(badgeOf(first!)!.textContent).toBe('');
    expect(badgeOf(second!)).toBeNull();
  });

  it('changes a badge with its state, and removes the badges when told none', () => {
    const document = fixturePage('espocrm', 'board-en');
    const card = document.querySelector('div.item[data-id]')!;
    const id = card.getAttribute('data-id')!;
    drawBadges(document, 'espocrm', { [id]: 'new' });
    const badge = badgeOf(card);
    drawBadges(document, 'espocrm', { [id]: 'sent' });
    expect(badgeOf(card)).toBe(badge);
    expect(label(card)).toBe('Sent');
    expect(badge!.shadowRoot!.querySelector('span')!.title).toBe('CoMagic export: Sent');
    drawBadges(document, 'espocrm', {});
    expect(document.querySelector('crm-comagic-badge')).toBeNull();
    drawBadges(document, 'espocrm', { [id]: 'failed' });
    drawBadges(document, 'espocrm', null);
    expect(document.querySelector('crm-comagic-badge')).toBeNull();
  });
});
