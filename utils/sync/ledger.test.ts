import { describe, expect, it } from 'vitest';
import { dealMapping, stageId } from '../../tests/support/deal-mapping';
import {
  compactEntry,
  dealStatus,
  decideDeal,
  deliveryCleared,
  expandEntry,
  fingerprintDeal,
  type LedgerEntry,
  newEntry,
  parseStoredLedger,
  recordDelivered,
  recordObserved,
  refsChanged,
  repairNeed,
  undelivered,
} from './ledger';

const NOW_API = '2026-03-10 12:00:00';

function sentAll(mapping: ReturnType<typeof dealMapping>): LedgerEntry {
  let entry: LedgerEntry | null = null;
  mapping.records.forEach((record, i) => {
    const final = i === mapping.records.length - 1;
    entry = recordDelivered(entry, record, final ? fingerprintDeal(mapping) : null, 0);
  });
  return entry as unknown as LedgerEntry;
}

const twoStages = () =>
  dealMapping('d1', {
    stages: [
      ['new', '2026-03-01 10:00:00'],
      ['talks', '2026-03-02 10:00:00'],
    ],
  });

describe('decideDeal', () => {
  it('sends every record of a deal never delivered, oldest first', () => {
    const mapping = twoStages();
    const decision = decideDeal(mapping, null, NOW_API);
    expect(decision.status).toBe('new');
    expect(decision.records.map((record) => record.stage_ext_id)).toEqual([stageId('new'), stageId('talks')]);
  });

  it('sends nothing for a deal unchanged since it was delivered', () => {
    const mapping = twoStages();
    expect(decideDeal(mapping, sentAll(mapping), NOW_API)).toEqual({ status: 'unchanged', records: [] });
    expect(dealStatus(mapping, sentAll(mapping))).toBe('unchanged');
  });

  it('sends only the new stage after a move', () => {
    const before = twoStages();
    const after = dealMapping('d1', {
      stages: [
        ['new', '2026-03-01 10:00:00'],
        ['talks', '2026-03-02 10:00:00'],
        ['offer', '2026-03-05 09:00:00'],
      ],
    });
    const decision = decideDeal(after, sentAll(before), NOW_API);
    expect(decision.status).toBe('moved');
    expect(decision.records.map((record) => record.stage_ext_id)).toEqual([stageId('offer')]);
  });

  it('never resends a record older than the last one CoMagic holds', () => {
    const before = twoStages();
    // The CRM now shows an earlier stage time than the one delivered: nothing older goes out.
    const after = dealMapping('d1', {
      stages: [
        ['new', '2026-03-01 10:00:00'],
        ['offer', '2026-03-01 12:00:00'],
        ['talks', '2026-03-02 10:00:00'],
      ],
    });
    const decision = decideDeal(after, sentAll(before), NOW_API);
    expect(decision.records.every((record) => record.modified_stage_date_time >= '2026-03-02 10:00:00')).toBe(
      true,
    );
  });

  it('sends one update record for changed data without a new stage, with a later modified_date_time', () => {
    const before = twoStages();
    const entry = { ...sentAll(before), lastModified: '2026-03-02 10:00:00' };
    const after = dealMapping('d1', {
      stages: [
        ['new', '2026-03-01 10:00:00'],
        ['talks', '2026-03-02 10:00:00'],
      ],
      revenue: 5000,
    });
    const decision = decideDeal(after, entry, NOW_API);
    expect(decision.status).toBe('changed');
    expect(decision.records).toHaveLength(1);
    expect(decision.records[0]).toMatchObject({
      stage_ext_id: stageId('talks'),
      modified_stage_date_time: '2026-03-02 10:00:00',
      modified_date_time: NOW_API,
      revenue: 5000,
    });
    expect(dealStatus(after, entry)).toBe('changed');
  });

  it('never lets a board card (a partial view) overwrite a deal its page sent, but sends its new stage', () => {
    const entry = sentAll(twoStages());
    const card = dealMapping('d1', {
      stages: [['talks', '2026-03-05 09:00:00']],
      contact: null,
      partial: true,
    });
    expect(decideDeal(card, entry, NOW_API)).toEqual({ status: 'unchanged', records: [] });
    expect(dealStatus(card, entry)).toBe('unchanged');
    const moved = dealMapping('d1', {
      stages: [['offer', '2026-03-05 09:00:00']],
      contact: null,
      partial: true,
    });
    expect(decideDeal(moved, entry, NOW_API)).toMatchObject({
      status: 'moved',
      records: [{ stage_ext_id: stageId('offer') }],
    });
  });

  it('remembers the creation time first sent', () => {
    const entry = sentAll(twoStages());
    expect(entry.created).toBe(twoStages().records[0]?.created_date_time);
    const later = recordDelivered(
      entry,
      { ...twoStages().records[1]!, created_date_time: '2026-03-09 00:00:00' },
      null,
      0,
    );
    expect(later.created).toBe(entry.created);
  });

  it('moves modified_date_time past the last one sent even when the clock lags behind it', () => {
    const before = twoStages();
    const entry = { ...sentAll(before), lastModified: '2026-03-20 08:00:00' };
    const after = dealMapping('d1', {
      stages: [
        ['new', '2026-03-01 10:00:00'],
        ['talks', '2026-03-02 10:00:00'],
      ],
      name: 'Renamed',
    });
    const decision = decideDeal(after, entry, NOW_API);
    expect(decision.records[0]?.modified_date_time).toBe('2026-03-20 08:00:01');
  });
});

describe('undelivered', () => {
  it('drops the records up to the last one the ledger shows delivered', () => {
    const mapping = twoStages();
    const first = recordDelivered(null, mapping.records[0] as never, null, 0);
    expect(undelivered(mapping.records, first, false)).toEqual([mapping.records[1]]);
    expect(undelivered(mapping.records, sentAll(mapping), false)).toEqual([]);
  });
});

describe('stored form', () => {
  it('round-trips an entry through its compact stored form', () => {
    const entry = recordObserved(sentAll(twoStages()), { id: 'talks', name: 'Talks', outcome: null }, 1234);
    expect(expandEntry(compactEntry(entry))).toEqual(entry);
    expect(expandEntry(compactEntry(newEntry(5)))).toEqual(newEntry(5));
  });

  it('keeps 10 000 deals under 2 MB of the 10 MB storage.local quota', () => {
    const entry = compactEntry(
      recordObserved(
        sentAll(twoStages()),
        { id: 'talks', name: 'Talks', outcome: 'in_progress' },
        Date.now(),
      ),
    );
    const stored = {
      v: 1,
      d: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`espo-64f0a1b2c3d4e5f6${i}`, entry])),
      f: {},
    };
    expect(parseStoredLedger(stored)?.dropped).toBe(0);
    expect(JSON.stringify(stored).length).toBeLessThan(2_000_000);
  });

  it('reads an entry stored before the partial-only flag as not known to be partial only', () => {
    const before = { a: 7, t: '2026-03-05 09:00:00', s: stageId('offer'), c: '2026-03-05 09:00:00' };
    expect(parseStoredLedger({ v: 1, d: { d1: before }, f: {} })?.ledger.d).toEqual({ d1: before });
    expect(expandEntry(before).partialOnly).toBe(false);
  });

  it('stores the partial-only flag as p: 1, and nothing when it is false', () => {
    const card = dealMapping('d1', { stages: [['offer', '2026-03-05 09:00:00']], partial: true });
    const partial = recordDelivered(null, card.records[0]!, fingerprintDeal(card), 0, true);
    expect(compactEntry(partial).p).toBe(1);
    expect(expandEntry(compactEntry(partial))).toEqual(partial);
    expect(compactEntry(sentAll(twoStages()))).not.toHaveProperty('p');
  });

  it('refuses a stored ledger whose deals are not keyed by ext_id', () => {
    expect(parseStoredLedger({ v: 1, d: [compactEntry(newEntry(1))], f: {} })).toBeNull();
    expect(parseStoredLedger({ v: 1, d: null, f: {} })).toBeNull();
  });

  it.each([
    ['no first sighting', { t: '2026-03-01 10:00:00' }],
    ['a number for a stage time', { a: 1, t: 20260301 }],
    ['an unknown outcome', { a: 1, o: ['won', 'Won', 'closed', 1] }],
    ['a short observation', { a: 1, o: ['won', 'Won', 'won'] }],
    ['a partial-only flag other than 1', { a: 1, t: '2026-03-01 10:00:00', p: true }],
    ['no object', 'entry'],
  ])('drops an entry of %s and keeps the others', (_, entry) => {
    const good = compactEntry(recordObserved(newEntry(1), { id: 'won', name: 'Won', outcome: null }, 2));
    expect(parseStoredLedger({ v: 1, d: { good, bad: entry }, f: { fun: 'x', broken: 7 } })).toEqual({
      ledger: { v: 1, d: { good }, f: { fun: 'x' } },
      dropped: 2,
    });
  });

  it('caps the observed stage title at 255 characters: a 200 KB column title is not kept per deal', () => {
    const title = 'Этап '.repeat(40_000);
    const compact = compactEntry(recordObserved(newEntry(1), { id: 's1', name: title, outcome: null }, 2));
    expect(compact.o?.[1]).toBe(title.slice(0, 255));
    expect(compact.o?.[0]).toBe('s1');
  });
});

describe('fingerprintDeal', () => {
  const deal = () => ({
    records: [
      {
        ext_id: 'd1',
        name: 'Дом № 5',
        created_date_time: '2026-03-01 10:00:00',
        modified_stage_date_time: '2026-03-02 10:00:00',
        sales_funnel_ext_id: 'f',
        stage_ext_id: 'f:won',
        revenue: 1500.5,
        contact_ext_ids: ['c1'],
        main_contact_ext_id: 'c1',
      },
    ],
    contacts: [{ ext_id: 'c1', name: 'Ann "A"', phone_numbers: ['79000000000'] }],
    employee: { ext_id: 'u1', name: 'Owner' },
  });

  it('keeps the fingerprints stored by earlier versions, so an upgrade resends nothing', () => {
    expect(fingerprintDeal(deal())).toBe('637b0258fd2c9df40e13b916ab7d4764');
  });

  it('ignores key order and absent fields', () => {
    const reordered = deal();
    const [record] = reordered.records;
    if (!record) throw new Error('no record');
    const { ext_id, ...rest } = record;
    reordered.records = [{ ...rest, comments: undefined, ext_id } as typeof record];
    expect(fingerprintDeal(reordered)).toBe(fingerprintDeal(deal()));
  });

  it('changes with a contact phone', () => {
    const other = deal();
    other.contacts = [{ ext_id: 'c1', name: 'Ann "A"', phone_numbers: ['79000000001'] }];
    expect(fingerprintDeal(other).slice(0, 16)).not.toBe(fingerprintDeal(deal()).slice(0, 16));
  });

  it('tells changed contacts or owner from a changed record', () => {
    const sent = { ...newEntry(0), fingerprint: fingerprintDeal(deal()) };
    expect(refsChanged(deal(), null)).toBe(true);
    expect(refsChanged(deal(), newEntry(0))).toBe(true);
    expect(refsChanged(deal(), sent)).toBe(false);
    const renamed = deal();
    renamed.records = renamed.records.map((record) => ({ ...record, name: 'Дом № 6' }));
    expect(refsChanged(renamed, sent)).toBe(false);
    const otherOwner = { ...deal(), employee: { ext_id: 'u2', name: 'Owner' } };
    expect(refsChanged(otherOwner, sent)).toBe(true);
  });
});

/** A board card's one record: the stage it shows, at the export's time, created then too. */
const boardCard = (stage = 'offer', at = '2026-03-10 12:00:00') =>
  dealMapping('d1', { stages: [[stage, at]], contact: null, employee: null, partial: true });

const wholePage = () =>
  dealMapping('d1', {
    stages: [
      ['new', '2026-03-01 10:00:00'],
      ['talks', '2026-03-02 10:00:00'],
      ['offer', '2026-03-04 10:00:00'],
    ],
  });

function sentFromBoard(card = boardCard()): LedgerEntry {
  return recordDelivered(null, card.records[0]!, fingerprintDeal(card), 0, true);
}

describe('partialOnly', () => {
  it('holds while every delivery is partial, and is lost for good by a whole one', () => {
    const first = sentFromBoard(boardCard('talks', '2026-03-09 12:00:00'));
    expect(first.partialOnly).toBe(true);
    const moved = recordDelivered(first, boardCard().records[0]!, null, 0, true);
    expect(moved.partialOnly).toBe(true);
    const page = wholePage();
    const whole = recordDelivered(
      moved,
      { ...page.records[2]!, modified_stage_date_time: '2026-03-11 10:00:00' },
      null,
      0,
    );
    expect(whole.partialOnly).toBe(false);
    expect(
      recordDelivered(whole, boardCard('won', '2026-03-12 10:00:00').records[0]!, null, 0, true).partialOnly,
    ).toBe(false);
  });

  it('is not set by a whole first delivery', () => {
    expect(sentAll(wholePage()).partialOnly).toBe(false);
  });
});

describe('repairNeed', () => {
  it('flags a deal CoMagic holds with a board card’s creation time, counting the stages it lacks', () => {
    expect(repairNeed(wholePage(), sentFromBoard())).toEqual({ held: '2026-03-10 12:00:00', missing: 3 });
  });

  it('flags a deal sent by an older version with another creation time, whole or not', () => {
    const page = wholePage();
    const entry = { ...sentAll(page), created: '2026-03-04 10:00:00' };
    // The ledger knows only the last record CoMagic holds: the two before it count as missing.
    expect(repairNeed(page, entry)).toEqual({ held: '2026-03-04 10:00:00', missing: 2 });
  });

  it('flags a deal only board cards sent whose creation time was right but whose older stages are missing', () => {
    // The card showed the deal's creation time (or an earlier send remembered it).
    const card = boardCard('offer', '2026-03-04 10:00:00');
    const entry = sentFromBoard({
      ...card,
      records: [{ ...card.records[0]!, created_date_time: '2026-03-01 10:00:00' }],
    });
    expect(repairNeed(wholePage(), entry)).toEqual({ held: '2026-03-01 10:00:00', missing: 2 });
  });

  it('does not flag the same case once a whole delivery was recorded, nor an old entry of unknown origin', () => {
    const page = wholePage();
    const card = boardCard('offer', '2026-03-04 10:00:00');
    const fromBoard = sentFromBoard({
      ...card,
      records: [{ ...card.records[0]!, created_date_time: '2026-03-01 10:00:00' }],
    });
    expect(repairNeed(page, { ...fromBoard, partialOnly: false })).toBeNull();
  });

  it('does not flag a whole deal sent whole, nor the same deal after a new stage', () => {
    const page = wholePage();
    expect(repairNeed(page, sentAll(page))).toBeNull();
    const moved = dealMapping('d1', {
      stages: [
        ...wholePage().records.map(
          (r) => [r.stage_ext_id.split(':')[1]!, r.modified_stage_date_time] as [string, string],
        ),
        ['won', '2026-03-06 10:00:00'],
      ],
    });
    expect(repairNeed(moved, sentAll(page))).toBeNull();
  });

  it('does not flag a board card, a deal that cannot be sent, or one CoMagic does not hold', () => {
    const entry = sentFromBoard();
    expect(repairNeed(boardCard('offer', '2026-03-11 12:00:00'), entry)).toBeNull();
    expect(repairNeed({ ...wholePage(), sendable: false }, entry)).toBeNull();
    expect(repairNeed(wholePage(), null)).toBeNull();
    expect(
      repairNeed(wholePage(), recordObserved(null, { id: 'offer', name: 'Offer', outcome: null }, 1)),
    ).toBeNull();
  });
});

describe('deliveryCleared', () => {
  it('forgets what CoMagic held and keeps what the extension saw in the CRM', () => {
    const seen = recordObserved(sentFromBoard(), { id: 'offer', name: 'Offer', outcome: null }, 99);
    const cleared = deliveryCleared({ ...seen, firstSeenAt: 42 });
    expect(cleared).toEqual({ ...newEntry(42), observed: seen.observed });
    expect(repairNeed(wholePage(), cleared)).toBeNull();
  });
});
