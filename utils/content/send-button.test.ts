import { beforeEach, describe, expect, it, vi } from 'vitest';
import { recordShadowRoots } from '../../tests/support/closed-shadow';
import { personClick } from '../../tests/support/person-click';
import { createSendButton, findTitleElement, placeSendButton } from './send-button';

function page(body: string): Document {
  return new DOMParser().parseFromString(`<html><body>${body}</body></html>`, 'text/html');
}

let shadowButton: (host: HTMLElement) => HTMLButtonElement;
beforeEach(() => {
  const rootOf = recordShadowRoots();
  shadowButton = (host) => rootOf(host).querySelector('button')!;
});

describe('the in-page send button', () => {
  it('sits right after the heading that shows the deal name', () => {
    const doc = page('<div><h3 class="title">  Supply\u00a0contract </h3><p>other</p></div>');
    const button = createSendButton(doc, () => {});
    placeSendButton(doc, button, 'Supply contract');
    expect(doc.querySelector('h3')?.nextElementSibling).toBe(button.host);
    expect(button.host.classList.contains('floating')).toBe(false);
  });

  it('floats in a corner when no heading shows the deal name', () => {
    const doc = page('<h1>Something else</h1>');
    const button = createSendButton(doc, () => {});
    placeSendButton(doc, button, 'Supply contract');
    expect(button.host.parentElement).toBe(doc.body);
    expect(button.host.classList.contains('floating')).toBe(true);
    expect(findTitleElement(doc, 'Supply contract')).toBeNull();
  });

  it('shows each state as text, a scraped reason included, never as HTML', () => {
    const doc = page('');
    const button = createSendButton(doc, () => {});
    const element = shadowButton(button.host);
    expect(element.textContent).toBe('Send to CoMagic');
    button.setState({ kind: 'failed', reason: '<img src=x onerror=alert(1)>' });
    expect(element.textContent).toBe('Not sent: <img src=x onerror=alert(1)>');
    expect(element.querySelector('img')).toBeNull();
    button.setState({ kind: 'sending' });
    expect(element.dataset.state).toBe('sending');
    expect(element.getAttribute('aria-busy')).toBe('true');
  });

  it('sends on a click, and not again while sending', () => {
    const doc = page('');
    const onClick = vi.fn();
    const button = createSendButton(doc, onClick);
    personClick(shadowButton(button.host));
    button.setState({ kind: 'sending' });
    personClick(shadowButton(button.host));
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('is out of the page scripts’ reach: its shadow root is closed', () => {
    const doc = page('');
    const button = createSendButton(doc, vi.fn());
    placeSendButton(doc, button, 'Supply contract');
    const found = doc.querySelector('crm-comagic-send');
    expect(found).toBe(button.host);
    expect(found!.shadowRoot).toBeNull();
    expect(doc.querySelector('button')).toBeNull();
  });

  it('does not send when a script clicks the button or its host', () => {
    const onClick = vi.fn();
    const button = createSendButton(page(''), onClick);
    button.host.click();
    shadowButton(button.host).click();
    shadowButton(button.host).dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(onClick).not.toHaveBeenCalled();
  });
});
