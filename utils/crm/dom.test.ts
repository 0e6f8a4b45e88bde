import { describe, expect, it } from 'vitest';
import { shownText } from './dom';

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
