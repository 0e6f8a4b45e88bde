/**
 * The demo's CRM data: one pipeline per CRM, every deal with an owner, a contact and a stage history
 * that ends in the deal's board column. Seeded, so every run shows the same deals.
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

export interface DemoPerson {
  id: string;
  name: string;
  phone: string;
  email: string;
}

export interface DemoDeal extends GeneratedCard {
  stageId: string;
  owner: { id: string; name: string };
  person: DemoPerson;
  /** Oldest first; the first visit is the deal's creation, the last is its current stage. */
  history: DemoVisit[];
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
const PEOPLE = ['Lena Orlova', 'Tom Becker', 'Priya Nair', 'Jonas Weber', 'Omar Haddad', 'Ivy Chen'];
const OWNERS = [
  { id: '2', name: 'Anna Miller' },
  { id: '3', name: 'Boris Kuznetsov' },
  { id: '4', name: 'Carla Diaz' },
];

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

/** Two digits of a phone number. */
const two = (n: number) => String(n % 100).padStart(2, '0');

function isoDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
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
    const id = dealId(crm, index);
    const last = Math.floor(next() * stages.length);
    let at = START + Math.floor(next() * 120) * DAY + Math.floor(next() * 600) * MINUTE;
    const history = stagePath(last, next).map((stage, step) => {
      if (step > 0) at += (1 + Math.floor(next() * 6)) * DAY + Math.floor(next() * 300) * MINUTE;
      return { stageId: (stages[stage] as DemoStage).id, at: new Date(at) };
    });
    const personName = pick(PEOPLE);
    const login = personName.toLowerCase().replace(' ', '.');
    deals.push({
      id,
      name: `${pick(DEALS)} #${index + 1}`,
      amount: 1000 + Math.floor(next() * 400) * 250,
      company: pick(COMPANIES),
      contact: personName,
      date: isoDay(new Date(at)),
      stageId: (stages[last] as DemoStage).id,
      owner: pick(OWNERS),
      person: {
        id: `c-${id}`,
        name: personName,
        phone: `+7 495 555-${two(index)}-${two(index * 7)}`,
        email: `${login}.${index + 1}@example.com`,
      },
      history,
    });
  }
  return { crm, stages, deals };
}

/** Cards grouped by column in stage order, as a board template takes them. */
export function boardColumns(pipeline: DemoPipeline): { id: string; name: string; cards: DemoDeal[] }[] {
  return pipeline.stages.map((stage) => ({
    id: stage.id,
    name: stage.name,
    cards: pipeline.deals.filter((deal) => deal.stageId === stage.id),
  }));
}

/**
 * The deal the headless run sends from its page: one still in progress whose history skips a stage,
 * so CoMagic shows a generated record too.
 */
export function dealToSend(pipeline: DemoPipeline): DemoDeal {
  const closing = pipeline.stages.at(-1)?.id;
  const open = pipeline.deals.filter((deal) => deal.stageId !== closing && deal.history.length > 1);
  const skipping = open.find((deal) => {
    const last = pipeline.stages.findIndex((stage) => stage.id === deal.stageId);
    return deal.history.length < last + 1;
  });
  const chosen = skipping ?? open[0] ?? pipeline.deals[0];
  if (!chosen) throw new Error('the demo pipeline has no deals');
  return chosen;
}
