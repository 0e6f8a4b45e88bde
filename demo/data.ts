/**
 * The demo's CRM data, the one truth both the demo CRMs' pages and their JSON endpoints tell: one
 * pipeline per CRM, every deal with an owner, a creation time, its contacts and a stage history that
 * ends in the deal's board column. Seeded, so every run shows the same deals.
 */
import type { GeneratedCard } from '../tests/fixtures/generated-card';

export type DemoCrm = 'espocrm' | 'odoo';

export interface DemoStage {
  /** What the adapter reports as the stage id: EspoCRM's stage value, Odoo's stage name. */
  id: string;
  name: string;
}

export interface DemoVisit {
  stageId: string;
  /** When the deal entered the stage; whole minutes, so every page format shows it exactly. */
  at: Date;
}

/** A change of the deal's amount: the CRMs record it in the same stream / chatter as stage changes. */
export interface DemoAmountChange {
  at: Date;
  from: number;
  to: number;
}

/** A note someone wrote on the deal: the CRMs show it among the stage changes, and it changes none. */
export interface DemoComment {
  at: Date;
  by: DemoUser;
  text: string;
}

export interface DemoUser {
  /** EspoCRM: a 17-character record id; Odoo: the res.users id. */
  id: string;
  name: string;
}

export interface DemoPerson {
  /** EspoCRM: the Contact id; Odoo: the res.partner id. */
  id: string;
  name: string;
  /** E.164 digits without "+", as CoMagic stores them. */
  phones: string[];
  emails: string[];
}

export interface DemoDeal extends GeneratedCard {
  stageId: string;
  owner: DemoUser;
  /** Oldest first; empty for a deal nobody tied a contact to. */
  contacts: DemoPerson[];
  /** Oldest first; the first visit is the deal's creation, the last is its current stage. */
  history: DemoVisit[];
  /** Oldest first, between the visits; `amount` is the amount after the last one. */
  amountChanges: DemoAmountChange[];
  /** Oldest first, between the visits, never at the time of another event. */
  comments: DemoComment[];
}

export interface DemoPipeline {
  crm: DemoCrm;
  stages: DemoStage[];
  deals: DemoDeal[];
}

/** The zone the demo CRMs show their times in, and the emulator account's zone. */
export const DEMO_TIME_ZONE = 'Europe/Moscow';

const stagesOf: Record<DemoCrm, DemoStage[]> = {
  espocrm: ['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won'].map((name) => ({
    id: name,
    name,
  })),
  odoo: ['New', 'Qualified', 'Proposition', 'Won'].map((name) => ({ id: name, name })),
};

const DEALS = ['Office chairs', 'Cloud backup', 'Fleet telematics', 'Support plan', 'Warehouse scanners'];
const COMPANIES = [
  'Brightline Ltd',
  'Harbor & Pine',
  'Quillfield GmbH',
  'Orbitway Logistics',
  'Tallow Books',
];
const PEOPLE = [
  'Lena Orlova',
  'Tom Becker',
  'Priya Nair',
  'Jonas Weber',
  'Omar Haddad',
  'Ivy Chen',
  'Маргарита Соколова',
  "Seán O'Neill",
];
const OWNERS: Record<DemoCrm, DemoUser[]> = {
  espocrm: [
    { id: '64b1c0ffee0000a01', name: 'Anna Miller' },
    { id: '64b1c0ffee0000a02', name: 'Boris Kuznetsov' },
    { id: '64b1c0ffee0000a03', name: 'Carla Diaz' },
  ],
  odoo: [
    { id: '2', name: 'Mitchell Admin' },
    { id: '6', name: 'Marc Demo' },
    { id: '7', name: 'Ольга Петрова' },
  ],
};

/** Another seed per CRM, so the two demo CRMs hold different deals. */
const SEEDS: Record<DemoCrm, number> = { espocrm: 7, odoo: 11 };

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The first deal is created on this day; every history ends well before any real "now". */
const START = Date.UTC(2025, 5, 2, 6, 0);

/** mulberry32: a small seeded generator, so a seed always gives the same pipeline. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** EspoCRM ids are 17 hex characters; Odoo's are database integers. */
function dealId(crm: DemoCrm, index: number): string {
  return crm === 'espocrm' ? `6d${index.toString(16).padStart(15, '0')}` : String(4100 + index);
}

/** Stage indexes from the first to `last`, sometimes skipping one (CoMagic then generates it). */
function stagePath(last: number, next: () => number): number[] {
  const path = [0];
  for (let stage = 1; stage <= last; stage++) {
    if (stage < last && next() < 0.25) continue;
    path.push(stage);
  }
  return path;
}

/** Four digits of a phone number. */
const four = (n: number) => String(n % 10_000).padStart(4, '0');

function isoDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

function login(name: string, index: number): string {
  const ascii = name
    .toLowerCase()
    .replace(/[^a-z]+/g, '.')
    .replace(/^\.|\.$/g, '');
  return `${ascii || 'contact'}.${index}@example.com`;
}

/**
 * How many contacts a deal has: mostly one, some two, a few none (EspoCRM relates several contacts to
 * an opportunity; an Odoo lead has one customer, whose phone and mobile are both phones).
 */
function contactCount(crm: DemoCrm, next: () => number): number {
  const roll = next();
  if (roll < 0.08) return 0;
  return crm === 'espocrm' && roll > 0.72 ? 2 : 1;
}

function contactsOf(crm: DemoCrm, index: number, next: () => number): DemoPerson[] {
  return Array.from({ length: contactCount(crm, next) }, (_, n) => {
    const name = PEOPLE[Math.floor(next() * PEOPLE.length)] as string;
    const serial = index * 2 + n;
    const phones = [`7495555${four(serial * 37 + 11)}`];
    const mobile = String((serial * 7919 + 1_234_567) % 10_000_000).padStart(7, '0');
    if (crm === 'odoo' && next() < 0.4) phones.push(`7916${mobile}`);
    return {
      id: crm === 'espocrm' ? `6c${serial.toString(16).padStart(15, '0')}` : String(300 + serial),
      name,
      phones,
      emails: [login(name, serial + 1)],
    };
  });
}

/** Amount edits at times strictly between visits (or after the last), oldest first. */
function amountChangesOf(history: DemoVisit[], amount: number, next: () => number): DemoAmountChange[] {
  const changes: DemoAmountChange[] = [];
  if (next() < 0.5) return changes;
  const after = history[Math.floor(next() * history.length)] as DemoVisit;
  const from = amount - (1 + Math.floor(next() * 20)) * 250;
  changes.push({
    at: new Date(after.at.getTime() + (30 + Math.floor(next() * 200)) * MINUTE),
    from,
    to: amount,
  });
  return changes;
}

const COMMENTS = [
  'Called: they want a demo next week.',
  'Sent the price list & the contract draft.',
  'Asked for a 5% discount <for 3 years>.',
  'Перезвонить после праздников.',
];

/**
 * Some deals get a comment or two, hours after a visit (an amount edit is at most ~4 h after one, and
 * visits are a day apart at least). From a generator of their own, so they change no other data.
 */
function commentsOf(deal: DemoDeal, next: () => number): DemoComment[] {
  if (next() < 0.7) return [];
  const count = next() < 0.3 ? 2 : 1;
  const comments = Array.from({ length: count }, (_, n) => {
    const after = deal.history[Math.floor(next() * deal.history.length)] as DemoVisit;
    const minutes = 240 + n * 160 + Math.floor(next() * 150);
    return {
      at: new Date(after.at.getTime() + minutes * MINUTE),
      by: deal.owner,
      text: COMMENTS[Math.floor(next() * COMMENTS.length)] as string,
    };
  });
  return comments.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** A pipeline of `cards` deals (at least 50) in `crm`'s stages, the same for the same seed. */
export function demoPipeline(crm: DemoCrm, options: { cards?: number; seed?: number } = {}): DemoPipeline {
  const { cards = 60, seed = SEEDS[crm] } = options;
  if (!Number.isInteger(cards) || cards < 50) throw new RangeError(`cards must be 50 or more, got ${cards}`);
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const stages = stagesOf[crm];
  const deals: DemoDeal[] = [];
  for (let index = 0; index < cards; index++) {
    const last = Math.floor(next() * stages.length);
    let at = START + Math.floor(next() * 120) * DAY + Math.floor(next() * 600) * MINUTE;
    const history = stagePath(last, next).map((stage, step) => {
      // A day at least between visits, so an amount edit fits between two of them.
      if (step > 0) at += (1 + Math.floor(next() * 6)) * DAY + Math.floor(next() * 300) * MINUTE;
      return { stageId: (stages[stage] as DemoStage).id, at: new Date(at) };
    });
    const amount = 6000 + Math.floor(next() * 400) * 250;
    const contacts = contactsOf(crm, index, next);
    deals.push({
      id: dealId(crm, index),
      name: `${pick(DEALS)} #${index + 1}`,
      amount,
      company: pick(COMPANIES),
      contact: contacts[0]?.name ?? '',
      date: isoDay(new Date(at + 14 * DAY)),
      stageId: (stages[last] as DemoStage).id,
      owner: pick(OWNERS[crm]),
      contacts,
      history,
      amountChanges: amountChangesOf(history, amount, next),
      comments: [],
    });
  }
  const commentNext = random(seed + 1000);
  for (const deal of deals) deal.comments = commentsOf(deal, commentNext);
  return { crm, stages, deals };
}

/** When the deal was created: its first visit. */
export function createdAt(deal: DemoDeal): Date {
  return (deal.history[0] as DemoVisit).at;
}

/** Cards grouped by column in stage order, as a board shows them. */
export function boardColumns(pipeline: DemoPipeline): { id: string; name: string; cards: DemoDeal[] }[] {
  return pipeline.stages.map((stage) => ({
    id: stage.id,
    name: stage.name,
    cards: pipeline.deals.filter((deal) => deal.stageId === stage.id),
  }));
}

/**
 * The deal the headless run sends from its page: one still in progress whose history skips a stage,
 * so CoMagic shows a generated record too, with one contact whose one phone the page shows (an Odoo
 * lead form shows the customer's phone, not their mobile).
 */
export function dealToSend(pipeline: DemoPipeline): DemoDeal {
  const closing = pipeline.stages.at(-1)?.id;
  const open = pipeline.deals.filter(
    (deal) =>
      deal.stageId !== closing &&
      deal.history.length > 1 &&
      deal.contacts.length === 1 &&
      deal.contacts[0]?.phones.length === 1,
  );
  const skipping = open.find((deal) => {
    const last = pipeline.stages.findIndex((stage) => stage.id === deal.stageId);
    return deal.history.length < last + 1;
  });
  const chosen = skipping ?? open[0] ?? pipeline.deals[0];
  if (!chosen) throw new Error('the demo pipeline has no deals');
  return chosen;
}
