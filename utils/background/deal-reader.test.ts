import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { config, contact, deal, NOW, STAGES, visit } from '../../tests/support/crm-model';
import type { CrmDeal } from '../crm/model';
import type { JobReading, ReadCard } from '../sync/job';
import type { SyncService } from '../sync/service';
import { type CrmTransport, createDealReader, type ReadAnswers, type Rendered } from './deal-reader';

beforeEach(() => fakeBrowser.reset());

const SITE = 'https://crm.example.com';
const sync = { ledgerEntries: async () => ({}) } as unknown as SyncService;

/** A deal as a whole read gives it: its stages with their times, a contact with a phone, an owner. */
function whole(id: string): CrmDeal {
  return deal({
    id,
    name: `Deal ${id}`,
    url: `${SITE}/#Opportunity/view/${id}`,
    stage: STAGES.qualified,
    createdAt: '2026-03-01T10:00:00+03:00',
    history: [
      visit(STAGES.new, '2026-03-01T10:00:00+03:00', { source: 'created' }),
      visit(STAGES.qualified, '2026-03-04T15:30:00+03:00'),
    ],
    contacts: [contact({ id: `c-${id}`, phones: ['+7 900 123-45-67'] })],
  });
}

const card = (id: string): ReadCard => ({
  dealExtId: id,
  crmDealId: id,
  name: `Card ${id}`,
  url: `${SITE}/#Opportunity/view/${id}`,
  key: 'k',
});

class FakeTransport implements CrmTransport {
  answers: (ids: string[]) => ReadAnswers | null = (ids) => ids.map((id) => ({ id, deal: whole(id) }));
  rendered: string[] = [];
  render: (card: ReadCard) => Rendered = (card) => ({ deal: whole(card.crmDealId) });
  async readDeals(_site: string, _tab: number | null, request: { ids: string[] }) {
    return this.answers(request.ids);
  }
  async renderDeal(_jobId: string, card: ReadCard) {
    this.rendered.push(card.crmDealId);
    return this.render(card);
  }
  async release() {}
}

function reading(cards: ReadCard[], via: JobReading['via'] = 'api'): JobReading {
  return { crm: 'espocrm', via, tabId: 3, cards, done: 0, batches: 0 };
}

async function read(transport: FakeTransport, cards: ReadCard[], via: JobReading['via'] = 'api') {
  const reader = createDealReader({ sync: () => sync, now: () => new Date(NOW), transport });
  return reader.read({ id: 'job', site: SITE }, reading(cards, via), cards, config());
}

const ids = (...names: string[]) => names.map(card);

describe('reading a whole-deal export’s deals', () => {
  it('maps each deal read through the CRM’s endpoints as its page’s send would: every stage, the contact', async () => {
    const batch = await read(new FakeTransport(), ids('a', 'b'));
    expect(batch.stop).toBeNull();
    expect(batch.outcomes.map((o) => o.dealExtId)).toEqual(['a', 'b']);
    const first = batch.outcomes[0];
    if (!first || !('deal' in first)) throw new Error('a was not read');
    expect(first.deal.records.map((r) => r.modified_stage_date_time)).toEqual([
      '2026-03-01 10:00:00',
      '2026-03-04 15:30:00',
    ]);
    expect(first.deal.contacts[0]?.phone_numbers).toEqual(['79001234567']);
  });

  it('reads a deal its endpoints refused, or kept failing for, from its page', async () => {
    const transport = new FakeTransport();
    transport.answers = (list) =>
      list.map((id) =>
        id === 'b'
          ? { id, failure: 'refused' as const, message: 'HTTP 400' }
          : id === 'c'
            ? { id, failure: 'busy' as const, message: 'HTTP 500' }
            : { id, deal: whole(id) },
      );
    const batch = await read(transport, ids('a', 'b', 'c'));
    expect(transport.rendered).toEqual(['b', 'c']);
    expect(batch.outcomes.every((o) => 'deal' in o)).toBe(true);
  });

  it('waits when the CRM was busy for every read of the batch', async () => {
    const transport = new FakeTransport();
    transport.answers = (list) => list.map((id) => ({ id, failure: 'busy' as const, message: 'HTTP 503' }));
    const batch = await read(transport, ids('a', 'b'));
    expect(batch.stop).toMatchObject({ kind: 'busy', retryAfterMs: 60_000 });
    expect(batch.outcomes).toEqual([]);
    expect(transport.rendered).toEqual([]);
  });

  it('stops at the first read that needs a login, keeping the deals read before it', async () => {
    const transport = new FakeTransport();
    transport.answers = (list) =>
      list.map((id, index) =>
        index === 0 ? { id, deal: whole(id) } : { id, failure: 'auth' as const, message: 'HTTP 401' },
      );
    const batch = await read(transport, ids('a', 'b', 'c'));
    expect(batch.outcomes.map((o) => o.dealExtId)).toEqual(['a']);
    expect(batch.stop?.kind).toBe('login');
    expect(batch.stop?.message.en).toContain('Log in to EspoCRM');
    expect(transport.rendered).toEqual([]);
  });

  it('reports a deal the CRM does not have by its card’s name, and goes on', async () => {
    const transport = new FakeTransport();
    transport.answers = (list) =>
      list.map((id) =>
        id === 'a' ? { id, failure: 'not_found' as const, message: 'HTTP 404' } : { id, deal: whole(id) },
      );
    const batch = await read(transport, ids('a', 'b'));
    expect(batch.outcomes[0]).toMatchObject({ dealExtId: 'a', failure: { code: 'crm_not_found' } });
    expect((batch.outcomes[0] as { failure: { message: { en: string } } }).failure.message.en).toContain(
      '"Card a"',
    );
    expect(batch.outcomes[1]).toMatchObject({ dealExtId: 'b' });
  });

  it('takes no answer for a deal it does not name', async () => {
    const transport = new FakeTransport();
    transport.answers = (list) => list.map((id) => ({ id: `${id}-other`, deal: whole(`${id}-other`) }));
    await read(transport, ids('a'));
    expect(transport.rendered).toEqual(['a']);
  });

  it('reports a deal whose page showed no deal either', async () => {
    const transport = new FakeTransport();
    transport.answers = (list) =>
      list.map((id) => ({ id, failure: 'refused' as const, message: 'HTTP 400' }));
    transport.render = () => ({ reason: 'the page showed no deal' });
    const batch = await read(transport, ids('a'));
    expect(batch.outcomes[0]).toMatchObject({ failure: { code: 'crm_unreadable' } });
  });

  it('says no tab of the CRM answers when none does', async () => {
    const transport = new FakeTransport();
    transport.answers = () => null;
    const batch = await read(transport, ids('a'));
    expect(batch.stop?.kind).toBe('unreachable');
  });

  it('renders every deal’s page for a CRM read by its pages (a recipe)', async () => {
    const transport = new FakeTransport();
    transport.answers = () => {
      throw new Error('a recipe CRM has no endpoints to ask');
    };
    const batch = await read(transport, ids('a', 'b'), 'page');
    expect(transport.rendered).toEqual(['a', 'b']);
    expect(batch.outcomes).toHaveLength(2);
  });
});
