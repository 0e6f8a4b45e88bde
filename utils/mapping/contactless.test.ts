import { describe, expect, it } from 'vitest';
import { config, contact, deal, NOW, settings } from '../../tests/support/crm-model';
import { localize } from '../i18n';
import { CONTACTLESS_TEXT, contactlessCount } from './contactless';
import { mapDeal } from './records';

const mapped = (contacts: ReturnType<typeof contact>[]) =>
  mapDeal(deal({ contacts }), config(), settings(), { now: NOW });

describe('contactlessCount', () => {
  it('counts deals whose contacts have neither a valid phone nor a valid e-mail, or that have none', () => {
    const deals = [
      mapped([contact()]),
      mapped([contact({ phones: [], emails: ['ivan@example.com'] })]),
      mapped([contact({ phones: ['+7 900 123-45-67'], emails: [] })]),
      mapped([contact({ phones: ['12'], emails: ['not an e-mail'] })]),
      mapped([contact({ id: 'a', phones: [], emails: [] }), contact({ id: 'b', phones: [], emails: [] })]),
      mapped([contact({ id: 'a', phones: [], emails: [] }), contact({ id: 'b' })]),
      mapped([]),
    ];
    expect(contactlessCount(deals)).toBe(3);
  });

  it('counts nothing for no deals', () => {
    expect(contactlessCount([])).toBe(0);
  });

  it('has the popup’s line in both languages with the count filled in', () => {
    expect(localize(CONTACTLESS_TEXT, { count: 3 }, 'en')).toBe(
      'CoMagic cannot tie 3 deals to calls: their contacts have no phone or e-mail',
    );
    expect(localize(CONTACTLESS_TEXT, { count: 3 }, 'ru')).toContain('3');
  });
});
