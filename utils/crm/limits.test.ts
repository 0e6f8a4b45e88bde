import { describe, expect, it } from 'vitest';
import { board, contact, deal } from '../../tests/support/crm-model';
import { boundBoard, boundDeal, boundProblem, cutNotes, LIMITS } from './limits';
import { CrmBoardSchema, CrmDealSchema } from './schema';

describe('a deal cut to the limits', () => {
  it('is the same deal when nothing is over them, and no note is made', () => {
    const notes = cutNotes();
    const full = deal({ company: { name: 'Acme' }, tags: ['vip'], fields: { probability: '10' } });
    expect(boundDeal(full, notes.forDeal(null))).toEqual(full);
    expect(notes.problems).toEqual([]);
  });

  it('cuts each long text and long list, noting the field and the limit', () => {
    const notes = cutNotes();
    const phones = Array.from(
      { length: 60 },
      (_, index) => `+7 900 000-00-${String(index).padStart(2, '0')}`,
    );
    const flooded = deal({
      name: 'N'.repeat(LIMITS.text + 5),
      contacts: Array.from({ length: LIMITS.contacts + 1 }, () => contact({ phones })),
      tags: ['t'.repeat(LIMITS.tag + 1)],
      fields: { budget: 'b'.repeat(LIMITS.fieldValue + 1) },
    });
    const bounded = boundDeal(flooded, notes.forDeal(null));
    expect(CrmDealSchema.safeParse(flooded).success).toBe(false);
    expect(CrmDealSchema.safeParse(bounded).success).toBe(true);
    expect(bounded.name).toHaveLength(LIMITS.text);
    expect(bounded.contacts).toHaveLength(LIMITS.contacts);
    expect(bounded.contacts[0]!.phones).toEqual(phones.slice(0, LIMITS.phones));
    expect(bounded.fields!.budget).toHaveLength(LIMITS.fieldValue);
    const noted = notes.problems.map((problem) => [problem.code, problem.field, problem.detail]);
    expect(noted).toContainEqual(['text_truncated', 'deal.name', String(LIMITS.text)]);
    expect(noted).toContainEqual(['list_truncated', 'deal.contacts', String(LIMITS.contacts)]);
    expect(noted).toContainEqual(['list_truncated', 'deal.contacts[0].phones', String(LIMITS.phones)]);
    expect(noted).toContainEqual(['text_truncated', 'deal.tags', String(LIMITS.tag)]);
    expect(noted).toContainEqual(['text_truncated', 'deal.fields.budget', String(LIMITS.fieldValue)]);
    expect(notes.problems.every((problem) => problem.severity === 'warning')).toBe(true);
  });

  it('never splits a character written as two UTF-16 units', () => {
    const name = `${'a'.repeat(LIMITS.text - 1)}😀tail`;
    const bounded = boundDeal(deal({ name }), cutNotes().forDeal(null));
    expect(bounded.name).toBe('a'.repeat(LIMITS.text - 1));
  });
});

describe('a board cut to the limits', () => {
  it('notes a card’s cut with the card’s deal, and the board’s own with none', () => {
    const notes = cutNotes();
    const long = 'S'.repeat(LIMITS.text + 1);
    const flooded = board([deal({ id: 'd7', name: long })], {
      stages: [{ id: 'new', name: long, outcome: null }],
    });
    const bounded = boundBoard(flooded, notes.forDeal);
    expect(CrmBoardSchema.safeParse(bounded).success).toBe(true);
    expect(notes.problems.map((problem) => [problem.field, problem.dealId])).toEqual([
      ['board.stages[0].name', undefined],
      ['deal.name', 'd7'],
    ]);
  });
});

describe('a problem cut to the limits', () => {
  it('keeps the start of a page text it quotes', () => {
    const problem = boundProblem({
      code: 'amount_unparsed',
      field: 'deal.amount',
      detail: '9'.repeat(LIMITS.problemDetail + 1),
      severity: 'warning',
    });
    expect(problem.detail).toHaveLength(LIMITS.problemDetail);
  });
});
