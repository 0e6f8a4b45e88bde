import { describe, expect, it } from 'vitest';
import { firstOfEach, shownText } from './dom';

function field(html: string): Element {
  const element = new DOMParser().parseFromString(`<div>${html}</div>`, 'text/html').body.firstElementChild;
  if (!element) throw new Error('no element');
  return element;
}

describe('shownText', () => {
  it("reads an input's live value, not the one the page loaded with", () => {
    const element = field('<span>Budget</span><input value="100">');
    const input = element.querySelector('input');
    if (!input) throw new Error('no input');
    input.value = '450 000';
    expect(shownText(element)).toBe('Budget 450 000');
  });

  it('reads a text area itself by its value', () => {
    const area = field('<textarea>Old name</textarea>').querySelector('textarea');
    if (!area) throw new Error('no textarea');
    area.value = '  New   name ';
    expect(shownText(area)).toBe('New name');
  });

  it('leaves out hidden inputs and the options of a select', () => {
    expect(
      shownText(field('<input type="hidden" value="42"><select><option>One</option></select>Anna')),
    ).toBe('Anna');
  });

  it('returns null for an empty field or none', () => {
    expect(shownText(field('<span> </span>'))).toBeNull();
    expect(shownText(null)).toBeNull();
  });
});

describe('firstOfEach', () => {
  const card = field(
    '<div class="f" data-name="amount"><a class="x">$5</a></div>' +
      '<div class="f" data-name="name"><a class="x">Deal</a><a class="x">Other</a></div>',
  );
  const selectors = {
    name: '.f[data-name="name"] a',
    amount: '.f[data-name="amount"]',
    anyLink: 'a.x, b.y',
    missing: '.f[data-name="closeDate"]',
  };

  it('finds for each selector what querySelector finds', () => {
    const found = firstOfEach(selectors)(card);
    for (const [key, selector] of Object.entries(selectors)) {
      expect(found[key as keyof typeof selectors], key).toBe(card.querySelector(selector));
    }
  });

  it('gives one element to every selector it matches', () => {
    const found = firstOfEach({ link: 'a', amountLink: '[data-name="amount"] a' })(card);
    expect(found.link?.textContent).toBe('$5');
    expect(found.amountLink).toBe(found.link);
  });

  it('gives null for a selector that matches nothing', () => {
    expect(firstOfEach(selectors)(card).missing).toBeNull();
  });
});
