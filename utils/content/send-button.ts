/**
 * The in-page "Send to CoMagic" button. Plain DOM in a closed shadow root: the page's CSS cannot
 * reach it, its CSS cannot leak into the page, and the page's scripts cannot reach the button
 * (`host.shadowRoot` is null for them). Every text is set with textContent.
 */

import { cleanText } from '../crm/dom';
import { localize } from '../i18n';

export type ButtonState =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'sent'; at: string }
  | { kind: 'failed'; reason: string };

const text = {
  send: { en: 'Send to CoMagic', ru: 'Отправить в CoMagic' },
  sending: { en: 'Sending to CoMagic…', ru: 'Отправляем в CoMagic…' },
  sent: { en: 'Sent to CoMagic at {time}', ru: 'Отправлено в CoMagic в {time}' },
  failed: { en: 'Not sent: {reason}', ru: 'Не отправлено: {reason}' },
};

const STYLE = `
:host { all: initial; display: inline-block; margin: 0 8px; vertical-align: middle; }
:host(.floating) { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; }
button { font: 600 13px/1.2 system-ui, sans-serif; color: #fff; background: #0f766e; border: 0;
  border-radius: 6px; padding: 6px 12px; cursor: pointer; max-width: 360px; text-align: left; }
button:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
button[data-state='sending'] { background: #475569; cursor: progress; }
button[data-state='sent'] { background: #15803d; }
button[data-state='failed'] { background: #b91c1c; }
`;

/** The page's heading that shows the deal's name, to put the button beside it. */
export function findTitleElement(document: Document, dealName: string): Element | null {
  const name = cleanText(dealName);
  for (const element of document.querySelectorAll('h1, h2, h3, h4, .title, [class*="title"]')) {
    if (cleanText(element.textContent) === name) return element;
  }
  return null;
}

export interface SendButton {
  host: HTMLElement;
  setState(state: ButtonState): void;
  remove(): void;
}

export function createSendButton(document: Document, onClick: () => void): SendButton {
  const host = document.createElement('crm-comagic-send');
  // On the host: the button inside is out of reach, and a click on the host lands on the button.
  host.dataset.testid = 'send-deal-inpage';
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = STYLE;
  const button = document.createElement('button');
  button.type = 'button';
  button.addEventListener('click', (event) => {
    event.preventDefault();
    event.stopPropagation();
    // Only a person's click sends: a page script that found its way in (the root is closed) could
    // still call click() or dispatch a click.
    if (!event.isTrusted) return;
    if (button.dataset.state !== 'sending') onClick();
  });
  shadow.append(style, button);

  function setState(state: ButtonState) {
    button.dataset.state = state.kind;
    host.dataset.state = state.kind;
    button.setAttribute('aria-busy', String(state.kind === 'sending'));
    if (state.kind === 'idle') button.textContent = localize(text.send);
    if (state.kind === 'sending') button.textContent = localize(text.sending);
    if (state.kind === 'sent') {
      const time = new Date(state.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      button.textContent = localize(text.sent, { time });
    }
    if (state.kind === 'failed') button.textContent = localize(text.failed, { reason: state.reason });
  }
  setState({ kind: 'idle' });
  return { host, setState, remove: () => host.remove() };
}

/** Puts the button after the deal's title, or floating in the corner when no title is found. */
export function placeSendButton(document: Document, button: SendButton, dealName: string): void {
  const title = findTitleElement(document, dealName);
  if (title) {
    title.insertAdjacentElement('afterend', button.host);
    button.host.classList.remove('floating');
  } else {
    document.body.append(button.host);
    button.host.classList.add('floating');
  }
}
