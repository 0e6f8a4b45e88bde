import { describe, expect, it } from 'vitest';
import { extractEmails, normalizeEmails } from './emails';

describe('normalizeEmails', () => {
  it('trims, lower-cases and keeps the order given', () => {
    expect(normalizeEmails(['  Ivan.Petrov@Example.COM ', 'b@x.io', 'a@x.io'])).toEqual([
      'ivan.petrov@example.com',
      'b@x.io',
      'a@x.io',
    ]);
  });

  it('drops duplicates, also those differing only in case or spaces', () => {
    expect(normalizeEmails(['a@x.io', 'A@X.IO', ' a@x.io', 'b@x.io', 'a@x.io'])).toEqual([
      'a@x.io',
      'b@x.io',
    ]);
  });

  it('unwraps mailto links and angle brackets', () => {
    expect(normalizeEmails(['mailto:Ivan@Example.com', 'MAILTO:p@x.io?subject=Hi', '<z@q.io>'])).toEqual([
      'ivan@example.com',
      'p@x.io',
      'z@q.io',
    ]);
  });

  it('accepts plus tags, dashes and international domains', () => {
    const list = ['sales+crm@my-company.co.uk', 'info@почта.рф', 'a_b%c@xn--p1ai.xn--p1ai'];
    expect(normalizeEmails(list)).toEqual(list);
  });

  it.each([
    '',
    '   ',
    'ivan',
    'ivan@',
    '@example.com',
    'ivan@example',
    'ivan@example.c',
    'ivan@@example.com',
    'ivan petrov@example.com',
    'ivan@exa mple.com',
    'ivan@example.com.',
    'ivan@.com',
    'Ivan <ivan@example.com>',
    'a@b.com, c@d.com',
    '+7 900 000 00 00',
  ])('drops %j', (raw) => {
    expect(normalizeEmails([raw])).toEqual([]);
  });
});

describe('extractEmails', () => {
  it('finds every e-mail in free text, normalised and de-duplicated', () => {
    const text = 'Write to Ivan@Example.COM (or «petr@почта.рф»); copy: ivan@example.com, sales+1@x.io.';
    expect(extractEmails(text)).toEqual(['ivan@example.com', 'petr@почта.рф', 'sales+1@x.io']);
  });

  it('reads the address out of mailto text and name-address pairs', () => {
    expect(extractEmails('mailto:Anna@Firm.ru?subject=Deal')).toEqual(['anna@firm.ru']);
    expect(extractEmails('Anna Smirnova <anna@firm.ru>')).toEqual(['anna@firm.ru']);
    expect(extractEmails('E-mail:anna@firm.ru')).toEqual(['anna@firm.ru']);
  });

  it('finds nothing in text without e-mails', () => {
    for (const text of ['', 'no mail here', 'user@localhost', '@firm.ru', 'price 10 @ 5.00']) {
      expect(extractEmails(text), text).toEqual([]);
    }
  });
});
