import { describe, expect, it } from 'vitest';
import { deal, STAGES, visit } from '../../tests/support/crm-model';
import { changeKey, EMPTY_LIVE_INBOX, type LiveChange, receive, settle, withSeenMove } from './live';

const SITE = 'https://crm.example.com';
const SEEN = '2026-03-05T12:31:44.000Z';
const change: LiveChange = { kind: 'deal', deal: deal({ stage: STAGES.won }), seenAt: SEEN };
const entry = { key: changeKey(SITE, change), site: SITE, tabId: 3, change };

describe('the live inbox', () => {
  it('keeps a change once, however often the page hands it over, and answers its job once made', () => {
    const first = receive(EMPTY_LIVE_INBOX, entry);
    expect(first.kind).toBe('new');
    const inbox = first.kind === 'new' ? first.inbox : EMPTY_LIVE_INBOX;
    expect(inbox.pending).toEqual([entry]);
    expect(receive(inbox, entry)).toEqual({ kind: 'pending' });
    const settled = settle(inbox, entry.key, 'job-1');
    expect(settled.pending).toEqual([]);
    expect(receive(settled, entry)).toEqual({ kind: 'done', jobId: 'job-1' });
  });

  it('tells apart a later change of the same deal', () => {
    const later = { ...change, seenAt: '2026-03-05T12:40:00.000Z' };
    expect(changeKey(SITE, later)).not.toBe(entry.key);
    expect(changeKey('https://other.example.com', change)).not.toBe(entry.key);
  });
});

describe('the move as seen', () => {
  it('is added at the time it was seen when the deal’s history does not show it', () => {
    const read = deal({
      stage: STAGES.won,
      history: [visit(STAGES.new, '2026-03-01T10:00:00Z'), visit(STAGES.proposal, '2026-03-03T10:00:00Z')],
    });
    expect(withSeenMove(read, SEEN).history.at(-1)).toEqual({
      stage: STAGES.won,
      enteredAt: SEEN,
      source: 'observed',
      estimated: false,
    });
  });

  it('takes the second it was seen when the page shows the move to the minute only', () => {
    const read = deal({
      stage: STAGES.won,
      history: [visit(STAGES.new, '2026-03-01T10:00:00Z'), visit(STAGES.won, '2026-03-05T12:31:00Z')],
    });
    expect(withSeenMove(read, SEEN).history.map((v) => v.enteredAt)).toEqual(['2026-03-01T10:00:00Z', SEEN]);
    // A move the page shows from long before it was seen (the page opened later) keeps its time.
    const earlier = deal({ stage: STAGES.won, history: [visit(STAGES.won, '2026-03-05T11:00:00Z')] });
    expect(withSeenMove(earlier, SEEN)).toBe(earlier);
  });

  it('leaves a history that shows the move with the CRM’s own time', () => {
    const read = deal({
      stage: STAGES.won,
      history: [visit(STAGES.new, '2026-03-01T10:00:00Z'), visit(STAGES.won, '2026-03-05T12:31:42Z')],
    });
    expect(withSeenMove(read, SEEN)).toBe(read);
  });
});
