/**
 * The demo Odoo's records as Odoo 18 holds them: crm.stage, crm.lead, res.partner, res.users and each
 * lead's chatter (mail.message with its tracking values). The pages and the JSON-RPC answers are both
 * made from these.
 *
 * Facts from odoo/odoo 18.0: crm.lead fields (many2one values read as `[id, display_name]`, empty as
 * `false`, date-times as UTC `YYYY-MM-DD HH:MM:SS`); the creation note posted with the
 * "Lead/Opportunity created" subtype; stage changes tracked with the "Stage changed" subtype ("Opportunity
 * won" into a won stage); `mail.tracking.value._tracking_value_format` giving
 * `{id, fieldInfo: {changedField, currencyId, floatPrecision, fieldType, isPropertyField}, newValue, oldValue}`.
 */
import {
  createdAt,
  type DemoDeal,
  type DemoPerson,
  type DemoPipeline,
  type DemoUser,
} from '../../../demo/data';
import { escapeHtml, utcTime } from '../format';

export type OdooValue = string | number | boolean | null | OdooValue[] | { [key: string]: OdooValue };
export type OdooRecord = Record<string, OdooValue>;

/** The database id of a stage: its position, 1-based (ids of a fresh database's default stages). */
export const stageDbId = (pipeline: DemoPipeline, stageId: string) =>
  pipeline.stages.findIndex((stage) => stage.id === stageId) + 1;

/** Each user's own partner (authors of chatter messages are partners). */
export const userPartnerId = (user: DemoUser) => Number(user.id) + 1;

const companyPartnerId = (pipeline: DemoPipeline, company: string) =>
  200 + [...new Set(pipeline.deals.map((deal) => deal.company))].indexOf(company);

/** The tags the demo's leads carry (crm.tag). */
export const TAGS = ['VIP', 'Export', 'Renewal'].map((name, index) => ({ id: index + 1, name }));

export function tagRecords(): OdooRecord[] {
  return TAGS.map((tag) => ({ ...tag, display_name: tag.name, color: tag.id }));
}

/** UTM of a lead (utm.source, utm.medium, utm.campaign as many2one values); every third lead has none. */
function utmOf(index: number): { source: OdooValue; medium: OdooValue; campaign: OdooValue } {
  if (index % 3 === 2) return { source: false, medium: false, campaign: false };
  return {
    source: index % 3 === 0 ? [1, 'Search engine'] : [2, 'Newsletter'],
    medium: index % 3 === 0 ? [1, 'Banner'] : [3, 'Email'],
    campaign: index % 2 === 0 ? [1, 'Spring sale'] : false,
  };
}

/** A lead's tags: none, one or two, fixed per lead. */
export function tagIdsOf(pipeline: DemoPipeline, deal: DemoDeal): number[] {
  const index = pipeline.deals.indexOf(deal);
  return [[], [1], [2, 3], [3]][index % 4] as number[];
}

/** Internal Notes (html); every other lead has none. */
export function descriptionOf(pipeline: DemoPipeline, deal: DemoDeal): string | false {
  const index = pipeline.deals.indexOf(deal);
  return index % 2 === 1
    ? false
    : `<p>${escapeHtml(deal.name)} for ${escapeHtml(deal.company)}.</p><p>Call back on Monday.</p>`;
}

/** `+7 495 555 00 11`: how Odoo's phone validation formats a number it stores. */
export function odooPhone(digits: string): string {
  const m = /^7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(digits);
  return m ? `+7 ${m[1]} ${m[2]} ${m[3]} ${m[4]}` : `+${digits}`;
}

export function stageRecords(pipeline: DemoPipeline): OdooRecord[] {
  return pipeline.stages.map((stage, index) => ({
    id: index + 1,
    name: stage.name,
    display_name: stage.name,
    sequence: index + 1,
    is_won: index === pipeline.stages.length - 1,
    fold: false,
    team_id: false,
    requirements: false,
  }));
}

export function userRecords(pipeline: DemoPipeline): OdooRecord[] {
  const users = [...new Map(pipeline.deals.map((deal) => [deal.owner.id, deal.owner])).values()];
  return users.map((user) => ({
    id: Number(user.id),
    name: user.name,
    display_name: user.name,
    login: `user${user.id}@example.com`,
    email: `user${user.id}@example.com`,
    partner_id: [userPartnerId(user), user.name],
    active: true,
  }));
}

function personPartner(pipeline: DemoPipeline, deal: DemoDeal, person: DemoPerson): OdooRecord {
  return {
    id: Number(person.id),
    name: person.name,
    display_name: `${deal.company}, ${person.name}`,
    is_company: false,
    type: 'contact',
    parent_id: [companyPartnerId(pipeline, deal.company), deal.company],
    commercial_company_name: deal.company,
    email: person.emails[0] ?? false,
    phone: person.phones[0] ? odooPhone(person.phones[0]) : false,
    mobile: person.phones[1] ? odooPhone(person.phones[1]) : false,
    function: false,
    active: true,
    user_ids: [],
    create_date: utcTime(createdAt(deal)),
  };
}

export function partnerRecords(pipeline: DemoPipeline): OdooRecord[] {
  const companies = [...new Set(pipeline.deals.map((deal) => deal.company))].map((company, index) => ({
    id: companyPartnerId(pipeline, company),
    name: company,
    display_name: company,
    is_company: true,
    type: 'contact',
    parent_id: false,
    commercial_company_name: company,
    // The company's own office line and mailbox: CoMagic gets them as the company's, not a contact's.
    email: `info${index + 1}@${company.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
    phone: `+7 495 600 ${String(10 + index).padStart(2, '0')} ${String(30 + index).padStart(2, '0')}`,
    mobile: false,
    function: false,
    active: true,
    user_ids: [],
    create_date: '2025-01-01 00:00:00',
  }));
  const users = userRecords(pipeline).map((user) => ({
    id: (user.partner_id as [number, string])[0],
    name: user.name as string,
    display_name: user.name as string,
    is_company: false,
    type: 'contact',
    parent_id: false,
    commercial_company_name: false,
    email: user.email as string,
    phone: false,
    mobile: false,
    function: false,
    active: true,
    user_ids: [user.id as number],
    create_date: '2025-01-01 00:00:00',
  }));
  const people = pipeline.deals.flatMap((deal) =>
    deal.contacts.map((person) => personPartner(pipeline, deal, person)),
  );
  return [...companies, ...users, ...people];
}

export type ChatterEvent =
  | { id: number; at: Date; author: DemoUser; kind: 'created' }
  | { id: number; at: Date; author: DemoUser; kind: 'stage'; from: string; to: string; won: boolean }
  | { id: number; at: Date; author: DemoUser; kind: 'revenue'; from: number; to: number }
  | { id: number; at: Date; author: DemoUser; kind: 'comment'; text: string };

/** The lead's chatter, oldest first: the creation note, stage changes, revenue edits, comments. */
export function chatterOf(pipeline: DemoPipeline, deal: DemoDeal): ChatterEvent[] {
  const index = pipeline.deals.indexOf(deal);
  const won = pipeline.stages.at(-1)?.id;
  const events: Omit<ChatterEvent, 'id'>[] = [
    ...deal.history.map((visit, step) =>
      step === 0
        ? { kind: 'created' as const, at: visit.at, author: deal.owner }
        : {
            kind: 'stage' as const,
            at: visit.at,
            author: deal.owner,
            from: (deal.history[step - 1] as { stageId: string }).stageId,
            to: visit.stageId,
            won: visit.stageId === won,
          },
    ),
    ...deal.amountChanges.map((change) => ({
      kind: 'revenue' as const,
      at: change.at,
      author: deal.owner,
      from: change.from,
      to: change.to,
    })),
    ...deal.comments.map((comment) => ({
      kind: 'comment' as const,
      at: comment.at,
      author: comment.by,
      text: comment.text,
    })),
  ];
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  return events.map((event, k) => ({ ...event, id: 10_000 + index * 64 + k }) as ChatterEvent);
}

/** When the lead was last written: its newest tracked change (a comment writes nothing on the lead). */
export function writeDateOf(pipeline: DemoPipeline, deal: DemoDeal): Date {
  return (
    chatterOf(pipeline, deal)
      .filter((event) => event.kind !== 'comment')
      .at(-1)?.at ?? createdAt(deal)
  );
}

export function leadRecord(pipeline: DemoPipeline, deal: DemoDeal): OdooRecord {
  const stageId = stageDbId(pipeline, deal.stageId);
  const stage = pipeline.stages[stageId - 1];
  const isWon = stageId === pipeline.stages.length;
  const partner = deal.contacts[0];
  const lastVisit = deal.history.at(-1)?.at ?? createdAt(deal);
  const utm = utmOf(pipeline.deals.indexOf(deal));
  return {
    id: Number(deal.id),
    name: deal.name,
    display_name: deal.name,
    active: true,
    type: 'opportunity',
    stage_id: [stageId, stage?.name ?? ''],
    user_id: [Number(deal.owner.id), deal.owner.name],
    partner_id: partner ? [Number(partner.id), `${deal.company}, ${partner.name}`] : false,
    partner_name: deal.company,
    contact_name: partner?.name ?? false,
    email_from: partner?.emails[0] ?? false,
    phone: partner?.phones[0] ? odooPhone(partner.phones[0]) : false,
    expected_revenue: deal.amount,
    probability: isWon ? 100 : Math.round((stageId / pipeline.stages.length) * 60),
    won_status: isWon ? 'won' : 'pending',
    create_date: utcTime(createdAt(deal)),
    write_date: utcTime(writeDateOf(pipeline, deal)),
    date_last_stage_update: utcTime(lastVisit),
    date_closed: isWon ? utcTime(lastVisit) : false,
    date_deadline: deal.date,
    team_id: [1, 'Sales'],
    company_id: [1, 'My Company'],
    company_currency: [1, 'USD'],
    priority: '0',
    tag_ids: tagIdsOf(pipeline, deal),
    source_id: utm.source,
    medium_id: utm.medium,
    campaign_id: utm.campaign,
    lost_reason_id: false,
    description: descriptionOf(pipeline, deal),
  };
}

const trackingOf = (
  id: number,
  changedField: string,
  fieldType: string,
  oldValue: OdooValue,
  newValue: OdooValue,
): OdooRecord => ({
  id,
  fieldInfo: {
    changedField,
    currencyId: fieldType === 'monetary' ? 1 : false,
    floatPrecision: null,
    fieldType,
    isPropertyField: false,
  },
  newValue,
  oldValue,
});

function subtypeOf(event: ChatterEvent): string | false {
  if (event.kind === 'created') return 'Lead/Opportunity created';
  if (event.kind === 'stage') return event.won ? 'Opportunity won' : 'Stage changed';
  return false;
}

/** One chatter message as `/mail/thread/messages` returns it under `data["mail.message"]`. */
export function messageRecord(pipeline: DemoPipeline, deal: DemoDeal, event: ChatterEvent): OdooRecord {
  const name = (id: string) => pipeline.stages.find((stage) => stage.id === id)?.name ?? id;
  const trackingValues =
    event.kind === 'stage'
      ? [trackingOf(event.id * 10, 'Stage', 'many2one', name(event.from), name(event.to))]
      : event.kind === 'revenue'
        ? [trackingOf(event.id * 10, 'Expected Revenue', 'monetary', event.from, event.to)]
        : [];
  const at = utcTime(event.at);
  const comment = event.kind === 'comment';
  return {
    attachment_ids: [],
    author: { id: userPartnerId(event.author), type: 'partner' },
    body: comment ? `<p>${escapeHtml(event.text)}</p>` : '',
    create_date: at,
    date: at,
    default_subject: deal.name,
    email_from: `"${event.author.name}" <user${event.author.id}@example.com>`,
    id: event.id,
    is_discussion: comment,
    is_note: false,
    linkPreviews: [],
    message_type: comment ? 'comment' : 'notification',
    model: 'crm.lead',
    needaction: false,
    notifications: [],
    parentMessage: false,
    pinned_at: false,
    rating_id: false,
    reactions: [],
    recipients: [],
    record_name: deal.name,
    res_id: Number(deal.id),
    scheduledDatetime: false,
    starred: false,
    subject: false,
    subtype_description: subtypeOf(event),
    thread: { id: Number(deal.id), model: 'crm.lead' },
    trackingValues,
    write_date: at,
  };
}

/** An author as the chatter's store lists it under `data["res.partner"]`. */
export function authorRecord(user: DemoUser): OdooRecord {
  return {
    id: userPartnerId(user),
    name: user.name,
    isInternalUser: true,
    is_company: false,
    userId: Number(user.id),
    write_date: '2025-01-01 00:00:00',
  };
}
