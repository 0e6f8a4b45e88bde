import { beforeEach, describe, expect, it } from 'vitest';
import { recordShadowRoots } from '../../tests/support/closed-shadow';
import { fixturePage } from '../../tests/support/crm-fixtures';
import { drawBadges } from './badges';

const badgeOf = (card: Element) => card.querySelector('crm-comagic-badge') as HTMLElement | null;
let spanOf: (card: Element) => HTMLSpanElement;
beforeEach(() => {
  const rootOf = recordShadowRoots();
  spanOf = (card) => rootOf(badgeOf(card)!).querySelector('span')!;
});
const label = (card: Element) => spanOf(card).textContent;

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
    expect(spanOf(card).title).toBe('CoMagic export: Sent');
    drawBadges(document, 'espocrm', {});
    expect(document.querySelector('crm-comagic-badge')).toBeNull();
    drawBadges(document, 'espocrm', { [id]: 'failed' });
    drawBadges(document, 'espocrm', null);
    expect(document.querySelector('crm-comagic-badge')).toBeNull();
  });

  it('are out of the page scripts’ reach: their shadow roots are closed', () => {
    const document = fixturePage('espocrm', 'board-en');
    const card = document.querySelector('div.item[data-id]')!;
    drawBadges(document, 'espocrm', { [card.getAttribute('data-id')!]: 'new' });
    expect(badgeOf(card)!.shadowRoot).toBeNull();
    expect(label(card)).toBe('New');
  });

  it('draw the cards whose ids are names of Object’s own properties', () => {
    const document = fixturePage('espocrm', 'board-en');
    const [first, second, third] = document.querySelectorAll('div.item[data-id]');
    first!.setAttribute('data-id', 'constructor');
    second!.setAttribute('data-id', '__proto__');
    third!.setAttribute('data-id', 'toString');
    // As the states arrive: parsed from a message, `__proto__` is then an own key like any other.
    const states = JSON.parse('{"__proto__": "sent", "toString": "new"}');
    drawBadges(document, 'espocrm', states);
    expect(badgeOf(first!)).toBeNull();
    expect(label(second!)).toBe('Sent');
    expect(label(third!)).toBe('New');
  });

  it('replace a badge the page put in a card with one of their own', () => {
    const document = fixturePage('espocrm', 'board-en');
    const card = document.querySelector('div.item[data-id]')!;
    const forged = document.createElement('crm-comagic-badge');
    forged.dataset.state = 'sent';
    card.append(forged);
    drawBadges(document, 'espocrm', { [card.getAttribute('data-id')!]: 'new' });
    expect(card.querySelectorAll('crm-comagic-badge')).toHaveLength(1);
    expect(badgeOf(card)).not.toBe(forged);
    expect(label(card)).toBe('New');
  });
});
