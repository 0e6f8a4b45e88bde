/**
 * The small export-state badge on each card of a board (the `boardBadges` setting). Plain DOM in a
 * closed shadow root, like the send button: the page's CSS cannot reach it, its CSS cannot leak
 * out, and the page's scripts cannot rewrite what it says. Every text is set with textContent.
 */
import { localize } from '../i18n';
import type { BadgeState, BoardBadges } from '../messaging';
import { boardCards } from './board-cards';

const text: Record<BadgeState, { en: string; ru: string }> = {
  new: { en: 'New', ru: 'Новая' },
  changed: { en: 'Changed', ru: 'Изменилась' },
  unchanged: { en: 'Unchanged', ru: 'Без изменений' },
  problems: { en: 'Has problems', ru: 'Есть проблемы' },
  sent: { en: 'Sent', ru: 'Отправлена' },
  failed: { en: 'Not sent', ru: 'Не отправлена' },
};
const title = {
  en: 'CoMagic export: {state}',
  ru: 'Выгрузка в CoMagic: {state}',
};

const TAG = 'crm-comagic-badge';

const STYLE = `
:host { all: initial; display: inline-block; margin: 4px 0 0; vertical-align: middle; }
span { font: 600 11px/1.4 system-ui, sans-serif; color: #fff; background: #475569;
  border-radius: 4px; padding: 1px 6px; white-space: nowrap; }
span[data-state='new'] { background: #1d4ed8; }
span[data-state='changed'] { background: #b45309; }
span[data-state='unchanged'] { background: #475569; }
span[data-state='problems'], span[data-state='failed'] { background: #b91c1c; }
span[data-state='sent'] { background: #15803d; }
`;

/** Each badge's label: the root is closed, so `host.shadowRoot` is null even for us. */
const labels = new WeakMap<Element, HTMLSpanElement>();

function createBadge(document: Document): HTMLElement {
  const host = document.createElement(TAG);
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = STYLE;
  const span = document.createElement('span');
  shadow.append(style, span);
  labels.set(host, span);
  return host;
}

function setState(host: HTMLElement, span: HTMLSpanElement, state: BadgeState) {
  if (host.dataset.state === state) return;
  const label = localize(text[state]);
  span.dataset.state = state;
  span.textContent = label;
  span.title = localize(title, { state: label });
  host.dataset.state = state;
}

/**
 * Puts each card's badge (in the card, last), updates the ones there, and removes the badges of
 * cards without a state; `null` removes them all.
 */
export function drawBadges(document: Document, adapterId: string | null, states: BoardBadges): void {
  const wanted = new Set<Element>();
  if (states) {
    for (const { id, card } of boardCards(document, adapterId)) {
      // Card ids come from the page: `constructor` or `__proto__` must not find Object's own.
      const state = Object.hasOwn(states, id) ? states[id] : undefined;
      if (!state) continue;
      let badge = [...card.children].find((child) => child.localName === TAG && labels.has(child)) as
        | HTMLElement
        | undefined;
      if (!badge) {
        badge = createBadge(document);
        card.append(badge);
      }
      setState(badge, labels.get(badge)!, state);
      wanted.add(badge);
    }
  }
  for (const badge of document.querySelectorAll(TAG)) {
    if (!wanted.has(badge)) badge.remove();
  }
}
