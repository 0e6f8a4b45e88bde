import { describe, expect, it } from 'vitest';
import type { DemoPipeline } from '../../../demo/data';
import { boardView, dealView } from './pages';
import { accountRecord, contactRecord, noteRecord, notesOf, opportunityRecord } from './records';

// A hand-made EspoCRM 10 pipeline (English UI, zone Europe/Moscow = UTC+3): one opportunity with two
// contacts, three stage visits, an amount edit and a post; one with no contact; Closed Lost among the stages.
const lena = {
  id: '6c000000000000a01',
  name: 'Lena Orlova',
  phones: ['74955550123'],
  emails: ['lena@brightline.example'],
};
const tom = {
  id: '6c000000000000a02',
  name: 'Tom Becker',
  phones: ['74955550456'],
  emails: ['tom@brightline.example'],
};
const anna = { id: '64b1c0ffee0000a01', name: 'Anna Miller' };
const chairs = {
  id: '6d000000000000a01',
  name: 'Office chairs for Brightline',
  amount: 12500,
  company: 'Brightline Ltd',
  contact: 'Lena Orlova',
  date: '2025-07-01',
  stageId: 'Proposal',
  owner: anna,
  contacts: [lena, tom],
  history: [
    { stageId: 'Prospecting', at: new Date('2025-06-02T06:00:00Z') },
    { stageId: 'Qualification', at: new Date('2025-06-05T08:30:00Z') },
    { stageId: 'Proposal', at: new Date('2025-06-10T12:15:00Z') },
  ],
  amountChanges: [{ at: new Date('2025-06-06T09:00:00Z'), from: 10000, to: 12500 }],
  comments: [
    { at: new Date('2025-06-05T13:00:00Z'), by: anna, text: 'Sent the price list & the contract draft.' },
  ],
};
const backup = {
  id: '6d000000000000a02',
  name: 'Cloud backup',
  amount: 4000,
  company: 'Tallow Books',
  contact: '',
  date: '2025-08-15',
  stageId: 'Prospecting',
  owner: anna,
  contacts: [],
  history: [{ stageId: 'Prospecting', at: new Date('2025-06-20T10:00:00Z') }],
  amountChanges: [],
  comments: [],
};
const pipeline: DemoPipeline = {
  crm: 'espocrm',
  stages: ['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'].map(
    (name) => ({ id: name, name }),
  ),
  deals: [chairs, backup],
};
const in2026 = new Date('2026-03-01T12:00:00Z');

const parse = (html: string) => new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim();

describe('EspoCRM records (the JSON endpoints)', () => {
  it('the opportunity carries its stage, owner, contacts, account and UTC times', () => {
    expect(opportunityRecord(pipeline, chairs)).toMatchObject({
      id: '6d000000000000a01',
      name: 'Office chairs for Brightline',
      stage: 'Proposal',
      probability: 50,
      amount: 12500,
      amountCurrency: 'USD',
      closeDate: '2025-07-01',
      createdAt: '2025-06-02 06:00:00',
      modifiedAt: '2025-06-10 12:15:00',
      assignedUserId: '64b1c0ffee0000a01',
      assignedUserName: 'Anna Miller',
      createdById: '1',
      contactsIds: ['6c000000000000a01', '6c000000000000a02'],
      contactsNames: { '6c000000000000a01': 'Lena Orlova', '6c000000000000a02': 'Tom Becker' },
      accountName: 'Brightline Ltd',
    });
    expect(opportunityRecord(pipeline, backup)).toMatchObject({ contactsIds: [], contactId: null });
  });

  it('the opportunity carries its lead source and description; its account answers with its own phone and e-mail', () => {
    expect(opportunityRecord(pipeline, chairs)).toMatchObject({
      leadSource: 'Web Site',
      description: 'Office chairs for Brightline for Brightline Ltd.\nAsked for delivery in 2 weeks.',
    });
    expect(opportunityRecord(pipeline, backup)).toMatchObject({ leadSource: 'Partner' });
    const accountId = opportunityRecord(pipeline, chairs).accountId as string;
    expect(accountRecord(pipeline, accountId)).toMatchObject({
      id: accountId,
      name: 'Brightline Ltd',
      phoneNumber: '+7 495 700-10-20',
      emailAddress: 'office1@brightlineltd.example',
    });
    expect(accountRecord(pipeline, 'no-such-account')).toBeNull();
  });

  it('the stream: a Create note with the first stage, Update notes with the stage entered, an amount edit and a post without one', () => {
    const notes = notesOf(pipeline, chairs).map((note) => noteRecord(pipeline, chairs, note));
    expect(notes.map((note) => [note.type, note.createdAt, note.data])).toEqual([
      [
        'Create',
        '2025-06-02 06:00:00',
        {
          assignedUserId: '64b1c0ffee0000a01',
          assignedUserName: 'Anna Miller',
          statusValue: 'Prospecting',
          statusField: 'stage',
        },
      ],
      [
        'Update',
        '2025-06-05 08:30:00',
        { fields: [], attributes: { was: {}, became: {} }, value: 'Qualification' },
      ],
      ['Post', '2025-06-05 13:00:00', {}],
      [
        'Update',
        '2025-06-06 09:00:00',
        {
          fields: ['amount'],
          attributes: {
            was: { amount: 10000, amountCurrency: 'USD' },
            became: { amount: 12500, amountCurrency: 'USD' },
          },
        },
      ],
      [
        'Update',
        '2025-06-10 12:15:00',
        { fields: [], attributes: { was: {}, became: {} }, value: 'Proposal' },
      ],
    ]);
    expect(notes.map((note) => note.number)).toEqual([1, 2, 3, 4, 5]);
    expect(notes.map((note) => note.post)).toEqual([
      null,
      null,
      'Sent the price list & the contract draft.',
      null,
      null,
    ]);
    expect(notes.every((note) => note.parentType === 'Opportunity' && note.parentId === chairs.id)).toBe(
      true,
    );
  });

  it('a related contact carries its primary phone in E.164 and its e-mail', () => {
    expect(contactRecord(pipeline, chairs, lena)).toMatchObject({
      id: '6c000000000000a01',
      name: 'Lena Orlova',
      firstName: 'Lena',
      lastName: 'Orlova',
      phoneNumber: '+74955550123',
      emailAddress: 'lena@brightline.example',
      accountName: 'Brightline Ltd',
    });
  });
});

describe('EspoCRM views (the pages)', () => {
  it('the board has a column per stage but Closed Lost, each card linking to #Opportunity/view/<id>', () => {
    const board = parse(boardView(pipeline, in2026).html);
    const root = board.querySelector('div.list-kanban[data-scope="Opportunity"]');
    expect(
      [...(root?.querySelectorAll('table.kanban-head th.group-header') ?? [])].map((th) => [
        th.getAttribute('data-name'),
        text(th.querySelector('span.kanban-group-label')),
      ]),
    ).toEqual([
      ['Prospecting', 'Prospecting'],
      ['Qualification', 'Qualification'],
      ['Proposal', 'Proposal'],
      ['Negotiation', 'Negotiation'],
      ['Closed Won', 'Closed Won'],
    ]);
    const card = board.querySelector(
      'td.group-column[data-name="Proposal"] div.group-column-list div.item[data-id]',
    );
    expect(card?.getAttribute('data-id')).toBe('6d000000000000a01');
    const link = card?.querySelector('div.field[data-name="name"] a.link');
    expect(link?.getAttribute('href')).toBe('#Opportunity/view/6d000000000000a01');
    expect(link?.getAttribute('title')).toBe('Office chairs for Brightline');
    expect(text(card?.querySelector('div.field[data-name="amount"]'))).toBe('12,500.00 USD');
    expect(card?.querySelector('div.field[data-name="closeDate"] span')?.getAttribute('title')).toBe(
      '01.07.2025',
    );
    expect(text(card?.querySelector('div.field[data-name="closeDate"]'))).toBe('01 Jul, 2025');
    expect(
      text(
        parse(boardView(pipeline, new Date('2025-12-01T00:00:00Z')).html).querySelector(
          'div.item[data-id="6d000000000000a01"] [data-name="closeDate"]',
        ),
      ),
    ).toBe('01 Jul');
  });

  it('the deal page shows its fields, the owner and complexCreated in the side panel', () => {
    const page = parse(dealView(pipeline, chairs, in2026).html);
    const detail = page.querySelector('div.detail[data-scope="Opportunity"]');
    const field = (name: string) =>
      detail?.querySelector(`div.cell[data-name="${name}"] div.field[data-name="${name}"]`);
    expect(text(field('name'))).toBe('Office chairs for Brightline');
    expect(field('stage')?.innerHTML).toBe('<span class="label label-state label-primary">Proposal</span>');
    expect(text(field('amount'))).toBe('12,500.00 USD');
    expect(text(field('account'))).toBe('Brightline Ltd');
    expect(text(field('leadSource'))).toBe('Web Site');
    expect([...(field('description')?.querySelectorAll('p') ?? [])].map(text)).toEqual([
      'Office chairs for Brightline for Brightline Ltd.',
      'Asked for delivery in 2 weeks.',
    ]);
    expect([...(field('contacts')?.querySelectorAll('a[href^="#Contact/view/"]') ?? [])].map(text)).toEqual([
      'Lena Orlova',
      'Tom Becker',
    ]);
    const side = detail?.querySelector('div.side');
    expect(side?.querySelector('div.field[data-name="assignedUser"] a')?.getAttribute('href')).toBe(
      '#User/view/64b1c0ffee0000a01',
    );
    const created = side?.querySelector(
      'div.cell[data-name="complexCreated"] div.field[data-name="complexCreated"]',
    );
    expect(text(created?.querySelector('span.field[data-name="createdAt"]'))).toBe('02.06.2025 09:00');
    expect(created?.querySelector('span.field[data-name="createdBy"] a')?.getAttribute('href')).toBe(
      '#User/view/1',
    );
    expect(text(side?.querySelector('span.field[data-name="modifiedAt"]'))).toBe('10.06.2025 15:15');
    expect(page.querySelector('div.cell[data-name="createdAt"]')).toBeNull();
  });

  it('the stream, newest first: status pills, the amount edit in a hidden table, a post, dates with the full time in the title', () => {
    const page = parse(dealView(pipeline, chairs, in2026).html);
    const notes = [
      ...page.querySelectorAll('div.list-container[data-role="stream"] li.list-group-item.list-row[data-id]'),
    ];
    expect(
      notes.map((note) => [
        text(note.querySelector('.stream-post-container span.label.label-state')) ?? null,
        note.querySelector('.stream-date-container a span')?.getAttribute('title'),
        text(note.querySelector('.stream-date-container a')),
      ]),
    ).toEqual([
      ['Proposal', '10.06.2025 15:15', '10 Jun, 25'],
      [null, '06.06.2025 12:00', '6 Jun, 25'],
      [null, '05.06.2025 16:00', '5 Jun, 25'],
      ['Qualification', '05.06.2025 11:30', '5 Jun, 25'],
      ['Prospecting', '02.06.2025 09:00', '2 Jun, 25'],
    ]);
    expect(text(notes[2]?.querySelector('span.message'))).toBe('Anna Miller posted');
    expect(text(notes[2]?.querySelector('.stream-post-container span.cell-post'))).toBe(
      'Sent the price list & the contract draft.',
    );
    expect(text(notes[4]?.querySelector('span.message'))).toBe(
      'Admin created opportunity Office chairs for Brightline assigned to Anna Miller',
    );
    expect(text(notes[0]?.querySelector('span.message'))).toBe(
      'Anna Miller updated opportunity Office chairs for Brightline',
    );
    expect(notes[0]?.querySelector('.stream-date-container a')?.getAttribute('href')).toBe(
      `#Note/view/${notes[0]?.getAttribute('data-id')}`,
    );
    const amount = notes[1]?.querySelector('table.audited-summary-table tr.row[data-name="amount"]');
    expect([
      text(amount?.querySelector('td.cell-was')),
      text(amount?.querySelector('td.cell-became')),
    ]).toEqual(['10,000.00 USD', '12,500.00 USD']);
    expect(page.querySelector('tr.row[data-name="stage"]')).toBeNull();
    expect(page.querySelector('[data-role="stream"] a[data-action="showMore"]')).toBeNull();
  });

  it('the Contacts panel lists each contact with its phone and e-mail; a deal without contacts shows none', () => {
    const rows = [
      ...parse(dealView(pipeline, chairs, in2026).html).querySelectorAll(
        'div.panel[data-name="contacts"] tr.list-row[data-id]',
      ),
    ];
    expect(
      rows.map((row) => [
        row.getAttribute('data-id'),
        text(row.querySelector('td[data-name="name"]')),
        row.querySelector('td[data-name="phoneNumber"] a')?.getAttribute('href'),
        text(row.querySelector('td[data-name="phoneNumber"]')),
        text(row.querySelector('td[data-name="emailAddress"]')),
      ]),
    ).toEqual([
      ['6c000000000000a01', 'Lena Orlova', 'tel:+74955550123', '+7 495 555-01-23', 'lena@brightline.example'],
      ['6c000000000000a02', 'Tom Becker', 'tel:+74955550456', '+7 495 555-04-56', 'tom@brightline.example'],
    ]);
    const empty = parse(dealView(pipeline, backup, in2026).html);
    expect(empty.querySelectorAll('div.panel[data-name="contacts"] tr.list-row')).toHaveLength(0);
    expect(text(empty.querySelector('div.field[data-name="contacts"]'))).toBe('None');
  });
});
