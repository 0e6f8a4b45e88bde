import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DateContext, type ParsedDate, parseCrmDate } from './dates';
import { instantToZoned } from './time-zone';

/** Sunday 15 March 2026, 15:00 in Moscow. */
const NOW = '2026-03-15T12:00:00.000Z';
const RU: DateContext = { now: NOW, timeZone: 'Europe/Moscow', locale: 'ru' };
const EN: DateContext = { now: NOW, timeZone: 'Europe/Moscow', locale: 'en' };
const ZONES = ['Europe/Berlin', 'America/New_York', 'Europe/Moscow', 'Asia/Kolkata', 'UTC'];

const at = (instant: string, precision: ParsedDate['precision']): ParsedDate => ({ instant, precision });

describe('parseCrmDate: absolute formats', () => {
  it.each([
    ['21.04.2024 11:59', RU, '2024-04-21T08:59:00.000Z', 'minute'],
    ['21.04.2024 11:59:21', RU, '2024-04-21T08:59:21.000Z', 'second'],
    ['21.04.2024, 11:59:21', RU, '2024-04-21T08:59:21.000Z', 'second'],
    ['4/21/2024, 11:59:21 AM', EN, '2024-04-21T08:59:21.000Z', 'second'],
    ['4/21/2024, 11:59:21 PM', EN, '2024-04-21T20:59:21.000Z', 'second'],
    ['04/21/2024 02:05 pm', EN, '2024-04-21T11:05:00.000Z', 'minute'],
    ['04/21/2024 02:05PM', EN, '2024-04-21T11:05:00.000Z', 'minute'],
    ['04/21/2024 02:05 P.M.', EN, '2024-04-21T11:05:00.000Z', 'minute'],
    ['04/21/2024 12:05 am', EN, '2024-04-20T21:05:00.000Z', 'minute'],
    ['04/21/2024 12:05 pm', EN, '2024-04-21T09:05:00.000Z', 'minute'],
    ['21/04/2024', RU, '2024-04-20T21:00:00.000Z', 'day'],
    ['2024-04-21', RU, '2024-04-20T21:00:00.000Z', 'day'],
    ['2024-04-21 14:05', RU, '2024-04-21T11:05:00.000Z', 'minute'],
    ['2024-04-21 14:05:09', RU, '2024-04-21T11:05:09.000Z', 'second'],
    ['2024-04-21T14:05:09', RU, '2024-04-21T11:05:09.000Z', 'second'],
    ['2024-04-21T14:05:09+05:00', RU, '2024-04-21T09:05:09.000Z', 'second'],
    ['2024-04-21T14:05:09.123-0430', RU, '2024-04-21T18:35:09.000Z', 'second'],
    ['2024-04-21T14:05Z', RU, '2024-04-21T14:05:00.000Z', 'minute'],
    ['21. 04. 2024', RU, '2024-04-20T21:00:00.000Z', 'day'],
    ['21. 04. 2024 14:05', RU, '2024-04-21T11:05:00.000Z', 'minute'],
    ['21.04.24', RU, '2024-04-20T21:00:00.000Z', 'day'],
    ['21 апр. 2024', RU, '2024-04-20T21:00:00.000Z', 'day'],
    ['21 апреля 2024 г.', RU, '2024-04-20T21:00:00.000Z', 'day'],
    ['21 апреля 2024 года', RU, '2024-04-20T21:00:00.000Z', 'day'],
    ['21 апреля 2024 г. в 14:05', RU, '2024-04-21T11:05:00.000Z', 'minute'],
    ['21 Apr 2024', EN, '2024-04-20T21:00:00.000Z', 'day'],
    ['Apr 21, 2024', EN, '2024-04-20T21:00:00.000Z', 'day'],
    ['April 21st, 2024', EN, '2024-04-20T21:00:00.000Z', 'day'],
    ['Apr 21, 24', EN, '2024-04-20T21:00:00.000Z', 'day'],
    ['Apr 21, 2024, 2:05 PM', EN, '2024-04-21T11:05:00.000Z', 'minute'],
    ['April 21, 2024 at 2:05 PM', EN, '2024-04-21T11:05:00.000Z', 'minute'],
    ['21 Apr 2024, 2:05 PM', EN, '2024-04-21T11:05:00.000Z', 'minute'],
    ['  21\u00a0апр.\u202f2024,\u2009 14:05 ', RU, '2024-04-21T11:05:00.000Z', 'minute'],
  ] as const)('%j', (text, ctx, instant, precision) => {
    expect(parseCrmDate(text, ctx)).toEqual(at(instant, precision));
  });

  it('interprets wall times in the context zone', () => {
    expect(parseCrmDate('21.04.2024 11:59', { ...RU, timeZone: 'UTC' })?.instant).toBe(
      '2024-04-21T11:59:00.000Z',
    );
    expect(parseCrmDate('21.04.2024 11:59', { ...RU, timeZone: 'America/New_York' })?.instant).toBe(
      '2024-04-21T15:59:00.000Z',
    );
  });

  it('gives day precision as local midnight of that day', () => {
    expect(parseCrmDate('21.01.2024', { ...RU, timeZone: 'Asia/Kolkata' })).toEqual(
      at('2024-01-20T18:30:00.000Z', 'day'),
    );
  });
});

describe('parseCrmDate: numeric date order', () => {
  it('reads day first in ru and with dots, month first in en with slashes', () => {
    expect(parseCrmDate('04/05/2024', RU)?.instant).toBe('2024-05-03T21:00:00.000Z');
    expect(parseCrmDate('04/05/2024', EN)?.instant).toBe('2024-04-04T21:00:00.000Z');
    expect(parseCrmDate('04.05.2024', EN)?.instant).toBe('2024-05-03T21:00:00.000Z');
    expect(parseCrmDate('04/05/2024', { ...EN, locale: null })?.instant).toBe('2024-05-03T21:00:00.000Z');
  });

  it('follows the order hint', () => {
    expect(parseCrmDate('04/05/2024', { ...EN, order: 'DMY' })?.instant).toBe('2024-05-03T21:00:00.000Z');
    expect(parseCrmDate('04/05/2024', { ...RU, order: 'MDY' })?.instant).toBe('2024-04-04T21:00:00.000Z');
    expect(parseCrmDate('2024/04/05', { ...RU, order: 'YMD' })?.instant).toBe('2024-04-04T21:00:00.000Z');
  });

  it('falls back to the only possible reading when the order was guessed', () => {
    expect(parseCrmDate('21/04/2024', EN)?.instant).toBe('2024-04-20T21:00:00.000Z');
    expect(parseCrmDate('4/21/2024', RU)?.instant).toBe('2024-04-20T21:00:00.000Z');
  });

  it('does not swap a hinted order', () => {
    expect(parseCrmDate('21/04/2024', { ...EN, order: 'MDY' })).toBeNull();
    expect(parseCrmDate('4/21/2024', { ...RU, order: 'DMY' })).toBeNull();
  });
});

describe('parseCrmDate: month names', () => {
  const RUSSIAN: string[][] = [
    ['январь', 'января', 'январю', 'январём', 'январем', 'январе', 'янв', 'янв.'],
    ['февраль', 'февраля', 'февралю', 'февралём', 'феврале', 'февр', 'февр.', 'фев', 'фев.'],
    ['март', 'марта', 'марту', 'мартом', 'марте', 'мар', 'мар.'],
    ['апрель', 'апреля', 'апрелю', 'апрелем', 'апреле', 'апр', 'апр.'],
    ['май', 'мая', 'маю', 'маем', 'мае'],
    ['июнь', 'июня', 'июню', 'июнем', 'июне', 'июн', 'июн.'],
    ['июль', 'июля', 'июлю', 'июлем', 'июле', 'июл', 'июл.'],
    ['август', 'августа', 'августу', 'августом', 'августе', 'авг', 'авг.'],
    ['сентябрь', 'сентября', 'сентябрю', 'сентябрём', 'сентябре', 'сент', 'сент.', 'сен', 'сен.'],
    ['октябрь', 'октября', 'октябрю', 'октябрём', 'октябре', 'окт', 'окт.'],
    ['ноябрь', 'ноября', 'ноябрю', 'ноябрём', 'ноябре', 'нояб', 'нояб.', 'ноя', 'ноя.'],
    ['декабрь', 'декабря', 'декабрю', 'декабрём', 'декабре', 'дек', 'дек.'],
  ];
  const ENGLISH: string[][] = [
    ['January', 'Jan', 'Jan.'],
    ['February', 'Feb', 'Feb.'],
    ['March', 'Mar', 'Mar.'],
    ['April', 'Apr', 'Apr.'],
    ['May'],
    ['June', 'Jun', 'Jun.'],
    ['July', 'Jul', 'Jul.'],
    ['August', 'Aug', 'Aug.'],
    ['September', 'Sep', 'Sep.', 'Sept', 'Sept.'],
    ['October', 'Oct', 'Oct.'],
    ['November', 'Nov', 'Nov.'],
    ['December', 'Dec', 'Dec.'],
  ];
  const midnight = (month: number) => `2024-${String(month).padStart(2, '0')}-09T21:00:00.000Z`;

  it('knows every Russian case and short form of every month', () => {
    RUSSIAN.forEach((forms, i) => {
      for (const form of forms) {
        expect(parseCrmDate(`10 ${form} 2024`, RU)?.instant, form).toBe(midnight(i + 1));
        expect(parseCrmDate(`10 ${form.toUpperCase()} 2024`, RU)?.instant, form).toBe(midnight(i + 1));
      }
    });
  });

  it('knows English full and short month names, day first or month first', () => {
    ENGLISH.forEach((forms, i) => {
      for (const form of forms) {
        expect(parseCrmDate(`10 ${form} 2024`, EN)?.instant, form).toBe(midnight(i + 1));
        expect(parseCrmDate(`${form} 10, 2024`, EN)?.instant, form).toBe(midnight(i + 1));
      }
    });
  });

  it('rejects words that are not months', () => {
    for (const text of ['10 ма 2024', '10 маяк 2024', '10 ян 2024', '10 foo 2024', 'Mayday 10, 2024']) {
      expect(parseCrmDate(text, RU), text).toBeNull();
    }
  });

  it('places a year-less date in the current year unless that is more than a day ahead', () => {
    expect(parseCrmDate('Mar 1', EN)?.instant).toBe('2026-02-28T21:00:00.000Z');
    expect(parseCrmDate('15 марта', RU)?.instant).toBe('2026-03-14T21:00:00.000Z');
    expect(parseCrmDate('16 марта', RU)?.instant).toBe('2026-03-15T21:00:00.000Z');
    expect(parseCrmDate('17 марта', RU)?.instant).toBe('2025-03-16T21:00:00.000Z');
    expect(parseCrmDate('Dec 31', EN)?.instant).toBe('2025-12-30T21:00:00.000Z');
    expect(parseCrmDate('Mar 14, 9:30 AM', EN)).toEqual(at('2026-03-14T06:30:00.000Z', 'minute'));
  });

  it('accepts a year-less 29 February only when the year it lands in has one', () => {
    expect(parseCrmDate('29 февр.', { ...RU, now: '2024-03-15T12:00:00Z' })?.instant).toBe(
      '2024-02-28T21:00:00.000Z',
    );
    expect(parseCrmDate('29 февр.', RU)).toBeNull();
  });
});

describe('parseCrmDate: two-digit years', () => {
  it('reads 20YY unless that is more than a year ahead of now', () => {
    expect(parseCrmDate('Apr 21, 24', EN)?.instant).toBe('2024-04-20T21:00:00.000Z');
    expect(parseCrmDate('15.03.27', RU)?.instant).toBe('2027-03-14T21:00:00.000Z');
    expect(parseCrmDate('16.03.27', { ...RU, timeZone: 'UTC' })?.instant).toBe('1927-03-16T00:00:00.000Z');
    expect(parseCrmDate('12.03.99', RU)?.instant).toBe('1999-03-11T21:00:00.000Z');
  });
});

describe('parseCrmDate: relative forms', () => {
  it.each([
    ['Сегодня 14:05', '2026-03-15T11:05:00.000Z', 'minute'],
    ['сегодня в 14:05', '2026-03-15T11:05:00.000Z', 'minute'],
    ['Вчера 14:05', '2026-03-14T11:05:00.000Z', 'minute'],
    ['вчера в 9:30', '2026-03-14T06:30:00.000Z', 'minute'],
    ['вчера, 09:30', '2026-03-14T06:30:00.000Z', 'minute'],
    ['ВЧЕРА 14:05', '2026-03-14T11:05:00.000Z', 'minute'],
    ['Позавчера 14:05', '2026-03-13T11:05:00.000Z', 'minute'],
    ['Завтра 10:00', '2026-03-16T07:00:00.000Z', 'minute'],
    ['Today 14:05', '2026-03-15T11:05:00.000Z', 'minute'],
    ['Yesterday 2:05 PM', '2026-03-14T11:05:00.000Z', 'minute'],
    ['yesterday at 2:05 pm', '2026-03-14T11:05:00.000Z', 'minute'],
    ['TOMORROW 08:00:30', '2026-03-16T05:00:30.000Z', 'second'],
    ['Вчера', '2026-03-13T21:00:00.000Z', 'day'],
    ['Today', '2026-03-14T21:00:00.000Z', 'day'],
    ['14:05', '2026-03-15T11:05:00.000Z', 'minute'],
    ['2:05 PM', '2026-03-15T11:05:00.000Z', 'minute'],
    ['5 минут назад', '2026-03-15T11:55:00.000Z', 'minute'],
    ['минуту назад', '2026-03-15T11:59:00.000Z', 'minute'],
    ['1 минута назад', '2026-03-15T11:59:00.000Z', 'minute'],
    ['2 минуты назад', '2026-03-15T11:58:00.000Z', 'minute'],
    ['5 мин. назад', '2026-03-15T11:55:00.000Z', 'minute'],
    ['30 секунд назад', '2026-03-15T11:59:30.000Z', 'minute'],
    ['час назад', '2026-03-15T11:00:00.000Z', 'minute'],
    ['2 часа назад', '2026-03-15T10:00:00.000Z', 'minute'],
    ['5 часов назад', '2026-03-15T07:00:00.000Z', 'minute'],
    ['день назад', '2026-03-13T21:00:00.000Z', 'day'],
    ['3 дня назад', '2026-03-11T21:00:00.000Z', 'day'],
    ['5 дней назад', '2026-03-09T21:00:00.000Z', 'day'],
    ['неделю назад', '2026-03-07T21:00:00.000Z', 'day'],
    ['2 недели назад', '2026-02-28T21:00:00.000Z', 'day'],
    ['5 недель назад', '2026-02-07T21:00:00.000Z', 'day'],
    ['только что', '2026-03-15T12:00:00.000Z', 'minute'],
    ['Несколько секунд назад', '2026-03-15T12:00:00.000Z', 'minute'],
    ['5 minutes ago', '2026-03-15T11:55:00.000Z', 'minute'],
    ['a minute ago', '2026-03-15T11:59:00.000Z', 'minute'],
    ['1 minute ago', '2026-03-15T11:59:00.000Z', 'minute'],
    ['an hour ago', '2026-03-15T11:00:00.000Z', 'minute'],
    ['2 hours ago', '2026-03-15T10:00:00.000Z', 'minute'],
    ['3 days ago', '2026-03-11T21:00:00.000Z', 'day'],
    ['a week ago', '2026-03-07T21:00:00.000Z', 'day'],
    ['Just now', '2026-03-15T12:00:00.000Z', 'minute'],
    ['a few seconds ago', '2026-03-15T12:00:00.000Z', 'minute'],
  ] as const)('%j', (text, instant, precision) => {
    expect(parseCrmDate(text, RU)).toEqual(at(instant, precision));
  });

  it('counts days on the zone calendar across a clock change', () => {
    // Berlin moved to summer time at 01:00Z on 31 March 2024.
    const berlin: DateContext = { now: '2024-03-31T12:00:00Z', timeZone: 'Europe/Berlin', locale: 'en' };
    expect(parseCrmDate('Yesterday 14:05', berlin)?.instant).toBe('2024-03-30T13:05:00.000Z');
    expect(parseCrmDate('Today 14:05', berlin)?.instant).toBe('2024-03-31T12:05:00.000Z');
    expect(parseCrmDate('3 days ago', berlin)?.instant).toBe('2024-03-27T23:00:00.000Z');
  });

  it('takes "today" from the context zone, not from UTC', () => {
    const lateInMoscow: DateContext = { ...RU, now: '2026-03-15T22:30:00Z' };
    expect(parseCrmDate('Сегодня 00:10', lateInMoscow)?.instant).toBe('2026-03-15T21:10:00.000Z');
  });
});

describe('parseCrmDate: bad input', () => {
  it.each([
    '',
    '   ',
    'garbage',
    'constructor',
    'toString 14:05',
    '—',
    '31.02.2024',
    '29.02.2023',
    '31.04.2024 10:00',
    '2024-13-01',
    '2024-00-10',
    '0000-01-01',
    '32 января 2024',
    '0 Apr 2024',
    '25:61',
    '24:00',
    '23:60',
    '12:30:60',
    '13:05 PM',
    '00:30 AM',
    'Вчера 25:00',
    '2024-04-21T14:05:09+25:00',
    '21.04.2024 11',
    '21.04',
    '2024',
    '5 лет назад',
    'через 5 минут',
    'in 5 minutes',
    '5 апельсинов назад',
    '99999 days ago',
    '1,234.56',
  ])('%j → null', (text) => {
    expect(parseCrmDate(text, RU)).toBeNull();
  });

  it('rejects a bad context instead of throwing', () => {
    expect(parseCrmDate('21.04.2024', { ...RU, timeZone: 'Mars/Olympus' })).toBeNull();
    expect(parseCrmDate('21.04.2024', { ...RU, timeZone: '' })).toBeNull();
    expect(parseCrmDate('Сегодня 14:05', { ...RU, now: 'not a date' })).toBeNull();
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom(...ZONES), (text, timeZone) => {
        const parsed = parseCrmDate(text, { ...RU, timeZone });
        if (parsed) expect(Number.isNaN(Date.parse(parsed.instant))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseCrmDate: round trips of formatted instants', () => {
  const pad = (n: number) => String(n).padStart(2, '0');
  const RUSSIAN_CASES = [
    ['январь', 'января', 'январю', 'январём', 'январе', 'янв.'],
    ['февраль', 'февраля', 'февралю', 'февралём', 'феврале', 'февр.'],
    ['март', 'марта', 'марту', 'мартом', 'марте', 'мар.'],
    ['апрель', 'апреля', 'апрелю', 'апрелем', 'апреле', 'апр.'],
    ['май', 'мая', 'маю', 'маем', 'мае', 'мая'],
    ['июнь', 'июня', 'июню', 'июнем', 'июне', 'июн.'],
    ['июль', 'июля', 'июлю', 'июлем', 'июле', 'июл.'],
    ['август', 'августа', 'августу', 'августом', 'августе', 'авг.'],
    ['сентябрь', 'сентября', 'сентябрю', 'сентябрём', 'сентябре', 'сент.'],
    ['октябрь', 'октября', 'октябрю', 'октябрём', 'октябре', 'окт.'],
    ['ноябрь', 'ноября', 'ноябрю', 'ноябрём', 'ноябре', 'нояб.'],
    ['декабрь', 'декабря', 'декабрю', 'декабрём', 'декабре', 'дек.'],
  ];
  const intl = (locale: string, timeZone: string, options: Intl.DateTimeFormatOptions) => (ms: number) =>
    new Intl.DateTimeFormat(locale, { timeZone, ...options }).format(ms);

  type Format = (ms: number, zone: string, caseIndex: number) => string;
  const minuteFormats: [string, Format, 'ru' | 'en'][] = [
    [
      'DD.MM.YYYY HH:mm',
      (ms, zone) => {
        const w = instantToZoned(new Date(ms).toISOString(), zone);
        return `${pad(w.day)}.${pad(w.month)}.${w.year} ${pad(w.hour)}:${pad(w.minute)}`;
      },
      'ru',
    ],
    [
      'D <month in any case> YYYY, HH:mm',
      (ms, zone, caseIndex) => {
        const w = instantToZoned(new Date(ms).toISOString(), zone);
        return `${w.day} ${RUSSIAN_CASES[w.month - 1]![caseIndex]} ${w.year}, ${pad(w.hour)}:${pad(w.minute)}`;
      },
      'ru',
    ],
    ['ru Intl medium', (ms, zone) => intl('ru', zone, { dateStyle: 'medium', timeStyle: 'short' })(ms), 'ru'],
    ['ru Intl long', (ms, zone) => intl('ru', zone, { dateStyle: 'long', timeStyle: 'short' })(ms), 'ru'],
    [
      'en Intl medium',
      (ms, zone) => intl('en-US', zone, { dateStyle: 'medium', timeStyle: 'short' })(ms),
      'en',
    ],
    ['en Intl long', (ms, zone) => intl('en-US', zone, { dateStyle: 'long', timeStyle: 'short' })(ms), 'en'],
    [
      'd MMM yyyy, h:mm A',
      (ms, zone) =>
        intl('en-GB', zone, { day: 'numeric', month: 'short', year: 'numeric' })(ms) +
        ', ' +
        intl('en-US', zone, { hour: 'numeric', minute: '2-digit', hour12: true })(ms),
      'en',
    ],
  ];
  const secondFormats: [string, Format, 'ru' | 'en'][] = [
    [
      'Odoo en M/D/YYYY, h:mm:ss AM',
      (ms, zone) =>
        intl('en-US', zone, {
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: '2-digit',
          second: '2-digit',
        })(ms),
      'en',
    ],
    [
      'Odoo ru DD.MM.YYYY, HH:mm:ss',
      (ms, zone) =>
        intl('ru', zone, {
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        })(ms),
      'ru',
    ],
  ];

  const checkRoundTrip = (formats: typeof minuteFormats, unitMs: number) =>
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.constantFrom(...ZONES),
        fc.constantFrom(...formats),
        fc.integer({ min: 0, max: 5 }),
        (ms, zone, [, format, locale], caseIndex) => {
          const text = format(ms, zone, caseIndex);
          const parsed = parseCrmDate(text, { now: NOW, timeZone: zone, locale });
          expect(parsed, text).not.toBeNull();
          const expected = Math.floor(ms / unitMs) * unitMs;
          const got = Date.parse(parsed!.instant);
          if (got === expected) return;
          // A wall time the autumn change repeats reads as its earlier instant.
          expect(got, text).toBeLessThan(expected);
          expect(format(got, zone, caseIndex)).toBe(text);
        },
      ),
      { numRuns: 1000 },
    );

  it('gives back the same minute for day-month-year formats in ru (every case) and en', () => {
    checkRoundTrip(minuteFormats, 60_000);
  });

  it('gives back the same second for the Odoo chatter titles', () => {
    checkRoundTrip(secondFormats, 1000);
  });
});
