import { describe, expect, it } from 'vitest';
import { createdAt, dealToSend, demoPipeline } from './data';

const both = ['espocrm', 'odoo'] as const;

describe('demoPipeline', () => {
  it('gives the same deals for the same seed and others for another seed', () => {
    expect(demoPipeline('odoo', { seed: 3 })).toEqual(demoPipeline('odoo', { seed: 3 }));
    expect(demoPipeline('odoo', { seed: 3 }).deals).not.toEqual(demoPipeline('odoo', { seed: 4 }).deals);
  });

  it('refuses fewer than 50 cards', () => {
    expect(() => demoPipeline('espocrm', { cards: 49 })).toThrow(RangeError);
  });

  it.each(both)(
    '%s: every history starts at the first stage, goes forward in time and ends in the deal stage',
    (crm) => {
      const { stages, deals } = demoPipeline(crm);
      for (const deal of deals) {
        expect(deal.history[0]?.stageId).toBe(stages[0]?.id);
        expect(deal.history.at(-1)?.stageId).toBe(deal.stageId);
        const times = deal.history.map((visit) => visit.at.getTime());
        expect(new Set(times).size).toBe(times.length);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(times.every((time) => time % 60_000 === 0)).toBe(true);
        expect(createdAt(deal)).toBe(deal.history[0]?.at);
      }
      expect(deals.some((deal) => deal.history.length >= 3)).toBe(true);
    },
  );

  it.each(both)('%s: amount edits fall between visits, never at one, and end at the deal amount', (crm) => {
    const { deals } = demoPipeline(crm);
    expect(deals.some((deal) => deal.amountChanges.length > 0)).toBe(true);
    for (const deal of deals) {
      const visits = new Set(deal.history.map((visit) => visit.at.getTime()));
      for (const change of deal.amountChanges) {
        expect(visits.has(change.at.getTime())).toBe(false);
        expect(change.at.getTime()).toBeGreaterThan(createdAt(deal).getTime());
      }
      if (deal.amountChanges.length > 0) expect(deal.amountChanges.at(-1)?.to).toBe(deal.amount);
    }
  });

  it.each(both)(
    '%s: every deal has an owner; most one contact or more, a few none; phones in E.164, e-mails',
    (crm) => {
      const { deals } = demoPipeline(crm);
      const counts = deals.map((deal) => deal.contacts.length);
      expect(counts.filter((n) => n === 0).length).toBeGreaterThanOrEqual(1);
      expect(counts.filter((n) => n === 0).length).toBeLessThan(deals.length / 4);
      expect(Math.max(...counts)).toBe(crm === 'espocrm' ? 2 : 1);
      for (const deal of deals) {
        expect(deal.owner.name).not.toBe('');
        for (const person of deal.contacts) {
          expect(person.phones.length).toBeGreaterThanOrEqual(1);
          for (const phone of person.phones) expect(phone).toMatch(/^7\d{10}$/);
          expect(person.emails).toEqual([expect.stringMatching(/^[^@\s]+@example\.com$/)]);
        }
      }
      const ids = deals.flatMap((deal) => deal.contacts.map((person) => person.id));
      expect(new Set(ids).size).toBe(ids.length);
    },
  );

  it.each(both)('%s: some deals have comments, each at a time no visit or amount edit has', (crm) => {
    const { deals } = demoPipeline(crm);
    expect(deals.some((deal) => deal.comments.length > 0)).toBe(true);
    expect(deals.some((deal) => deal.comments.length === 0)).toBe(true);
    for (const deal of deals) {
      const times = [...deal.history, ...deal.amountChanges, ...deal.comments].map((event) =>
        event.at.getTime(),
      );
      expect(new Set(times).size).toBe(times.length);
      for (const comment of deal.comments) {
        expect(comment.at.getTime()).toBeGreaterThan(createdAt(deal).getTime());
        expect(comment.by).toBe(deal.owner);
      }
    }
  });

  it('Odoo customers sometimes have a mobile besides their phone', () => {
    const phones = demoPipeline('odoo').deals.flatMap((deal) => deal.contacts.map((p) => p.phones.length));
    expect(phones).toContain(2);
  });
});

describe('dealToSend', () => {
  it.each(both)(
    '%s: an open deal that skips a stage, with one contact whose one phone its page shows',
    (crm) => {
      const pipeline = demoPipeline(crm);
      const deal = dealToSend(pipeline);
      const lastStage = pipeline.stages.findIndex((stage) => stage.id === deal.stageId);
      expect(lastStage).toBeLessThan(pipeline.stages.length - 1);
      expect(deal.history.length).toBeGreaterThan(1);
      expect(deal.history.length).toBeLessThan(lastStage + 1);
      expect(deal.contacts.map((person) => person.phones.length)).toEqual([1]);
    },
  );
});
