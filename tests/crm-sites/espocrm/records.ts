/**
 * The demo EspoCRM's records as EspoCRM 10 holds them: the Opportunity, its stream notes (Create,
 * Update with the status `value`, Update of audited fields, Post) and its related contacts. The pages and
 * the JSON endpoints are both made from these, so they tell the same truth.
 *
 * Facts from espocrm/espocrm 10.0: `Tools/Stream/Service.php` (noteCreate: `data.statusValue` /
 * `statusField`, assignedUserId/Name; handleAudited: `data.fields`, `data.attributes.was/became`,
 * `data.value` only when the status field changed, and the status field is never among the audited
 * fields), `Controllers/Stream.php` (`{total, list, pinnedList}`, newest first by `number`),
 * `entityDefs/Opportunity.json` (fields, stage options, probabilityMap, style).
 */
import {
  createdAt,
  type DemoDeal,
  type DemoPerson,
  type DemoPipeline,
  type DemoUser,
} from '../../../demo/data';
import { utcTime } from '../format';

/** The user the demo browser is signed in as; they created every deal and assigned it to its owner. */
export const ESPO_ADMIN: DemoUser & { userName: string } = { id: '1', name: 'Admin', userName: 'admin' };

const PROBABILITY: Record<string, number> = {
  Prospecting: 10,
  Qualification: 20,
  Proposal: 50,
  Negotiation: 80,
  'Closed Won': 100,
  'Closed Lost': 0,
};

/** The label style of each stage (`style` in the entity defs); the others show as `default`. */
export const STAGE_STYLE: Record<string, string> = {
  Proposal: 'primary',
  Negotiation: 'warning',
  'Closed Won': 'success',
  'Closed Lost': 'info',
};

export type EspoNote =
  | { id: string; number: number; type: 'Create'; at: Date; by: DemoUser; stage: string; assignee: DemoUser }
  | { id: string; number: number; type: 'Update'; at: Date; by: DemoUser; stage: string }
  | {
      id: string;
      number: number;
      type: 'Update';
      at: Date;
      by: DemoUser;
      amount: { from: number; to: number };
    }
  | { id: string; number: number; type: 'Post'; at: Date; by: DemoUser; post: string };

const hexId = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(15, '0')}`;

const companiesOf = (pipeline: DemoPipeline) => [...new Set(pipeline.deals.map((d) => d.company))];

export function accountIdOf(pipeline: DemoPipeline, deal: DemoDeal): string {
  return hexId('6a', companiesOf(pipeline).indexOf(deal.company));
}

const LEAD_SOURCES = ['Web Site', 'Partner', 'Call', 'Existing Customer', null];

/** The deal's lead source (the enum value; every fifth deal has none), fixed per deal. */
export function leadSourceOf(pipeline: DemoPipeline, deal: DemoDeal): string | null {
  return LEAD_SOURCES[pipeline.deals.indexOf(deal) % LEAD_SOURCES.length] ?? null;
}

/** The deal's description, two lines; every third deal has none. */
export function descriptionOf(pipeline: DemoPipeline, deal: DemoDeal): string | null {
  const index = pipeline.deals.indexOf(deal);
  return index % 3 === 2
    ? null
    : `${deal.name} for ${deal.company}.\nAsked for delivery in ${(index % 4) + 2} weeks.`;
}

/** `GET api/v1/Account/<id>`: the company with its own office phone and e-mail; `null` for no such id. */
export function accountRecord(pipeline: DemoPipeline, id: string): Record<string, unknown> | null {
  const companies = companiesOf(pipeline);
  const index = companies.findIndex((_, at) => hexId('6a', at) === id);
  if (index < 0) return null;
  const name = companies[index] as string;
  const phone = `+7 495 700-${String(10 + index).padStart(2, '0')}-${String(20 + index).padStart(2, '0')}`;
  const email = `office${index + 1}@${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`;
  return {
    id,
    name,
    deleted: false,
    type: 'Customer',
    phoneNumber: phone,
    emailAddress: email,
    phoneNumberData: [{ phoneNumber: phone, primary: true, type: 'Office', optOut: false, invalid: false }],
    emailAddressData: [{ emailAddress: email, lower: email, primary: true, optOut: false, invalid: false }],
  };
}

/** The deal's stream, oldest first: the create note, each stage change, each amount edit. */
export function notesOf(pipeline: DemoPipeline, deal: DemoDeal): EspoNote[] {
  const index = pipeline.deals.indexOf(deal);
  const events: Omit<EspoNote, 'id' | 'number'>[] = [
    ...deal.history.map((visit, step) =>
      step === 0
        ? {
            type: 'Create' as const,
            at: visit.at,
            by: ESPO_ADMIN,
            stage: visit.stageId,
            assignee: deal.owner,
          }
        : { type: 'Update' as const, at: visit.at, by: deal.owner, stage: visit.stageId },
    ),
    ...deal.amountChanges.map((change) => ({
      type: 'Update' as const,
      at: change.at,
      by: deal.owner,
      amount: { from: change.from, to: change.to },
    })),
    ...deal.comments.map((comment) => ({
      type: 'Post' as const,
      at: comment.at,
      by: comment.by,
      post: comment.text,
    })),
  ];
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  return events.map(
    (event, k) => ({ ...event, id: hexId('6e', index * 64 + k), number: index * 64 + k + 1 }) as EspoNote,
  );
}

/** When the deal last changed: its newest note other than a post (a post changes no field). */
export function modifiedAt(pipeline: DemoPipeline, deal: DemoDeal): Date {
  return (
    notesOf(pipeline, deal)
      .filter((note) => note.type !== 'Post')
      .at(-1)?.at ?? createdAt(deal)
  );
}

function names(people: { id: string; name: string }[]): Record<string, string> {
  return Object.fromEntries(people.map((person) => [person.id, person.name]));
}

/** `GET api/v1/Opportunity/<id>`: the record's attributes. */
export function opportunityRecord(pipeline: DemoPipeline, deal: DemoDeal): Record<string, unknown> {
  const modified = utcTime(modifiedAt(pipeline, deal));
  const probability = PROBABILITY[deal.stageId] ?? 0;
  const first = deal.contacts[0];
  return {
    id: deal.id,
    name: deal.name,
    deleted: false,
    amount: deal.amount,
    amountCurrency: 'USD',
    amountConverted: deal.amount,
    amountWeightedConverted: (deal.amount * probability) / 100,
    stage: deal.stageId,
    lastStage: deal.stageId,
    probability,
    leadSource: leadSourceOf(pipeline, deal),
    closeDate: deal.date,
    description: descriptionOf(pipeline, deal),
    createdAt: utcTime(createdAt(deal)),
    modifiedAt: modified,
    streamUpdatedAt: modified,
    accountId: accountIdOf(pipeline, deal),
    accountName: deal.company,
    contactsIds: deal.contacts.map((person) => person.id),
    contactsNames: names(deal.contacts),
    contactsColumns: Object.fromEntries(deal.contacts.map((person) => [person.id, { role: null }])),
    contactId: first?.id ?? null,
    contactName: first?.name ?? null,
    campaignId: null,
    campaignName: null,
    originalLeadId: null,
    originalLeadName: null,
    createdById: ESPO_ADMIN.id,
    createdByName: ESPO_ADMIN.name,
    modifiedById: deal.owner.id,
    modifiedByName: deal.owner.name,
    assignedUserId: deal.owner.id,
    assignedUserName: deal.owner.name,
    teamsIds: [],
    teamsNames: {},
    isFollowed: true,
    followersIds: [ESPO_ADMIN.id, deal.owner.id],
    followersNames: names([ESPO_ADMIN, deal.owner]),
    // Posts do not change the record.
    versionNumber: deal.history.length + deal.amountChanges.length,
  };
}

function noteData(note: EspoNote): Record<string, unknown> {
  if (note.type === 'Post') return {};
  if (note.type === 'Create') {
    return {
      assignedUserId: note.assignee.id,
      assignedUserName: note.assignee.name,
      statusValue: note.stage,
      statusField: 'stage',
    };
  }
  if ('stage' in note) return { fields: [], attributes: { was: {}, became: {} }, value: note.stage };
  return {
    fields: ['amount'],
    attributes: {
      was: { amount: note.amount.from, amountCurrency: 'USD' },
      became: { amount: note.amount.to, amountCurrency: 'USD' },
    },
  };
}

/** A stream note as `GET api/v1/Opportunity/<id>/stream` lists it. */
export function noteRecord(pipeline: DemoPipeline, deal: DemoDeal, note: EspoNote): Record<string, unknown> {
  const at = utcTime(note.at);
  return {
    id: note.id,
    deleted: false,
    post: note.type === 'Post' ? note.post : null,
    data: noteData(note),
    type: note.type,
    targetType: null,
    number: note.number,
    isGlobal: false,
    isInternal: false,
    isPinned: false,
    createdAt: at,
    modifiedAt: at,
    parentId: deal.id,
    parentType: 'Opportunity',
    parentName: deal.name,
    relatedId: null,
    relatedType: null,
    relatedName: null,
    superParentId: accountIdOf(pipeline, deal),
    superParentType: 'Account',
    createdById: note.by.id,
    createdByName: note.by.name,
    modifiedById: null,
    modifiedByName: null,
    attachmentsIds: [],
    attachmentsNames: {},
    attachmentsTypes: {},
    reactionCounts: {},
    myReactions: [],
  };
}

/** A related contact as `GET api/v1/Opportunity/<id>/contacts` lists it (primary phone and e-mail only). */
export function contactRecord(
  pipeline: DemoPipeline,
  deal: DemoDeal,
  person: DemoPerson,
): Record<string, unknown> {
  const [firstName, ...rest] = person.name.split(' ');
  return {
    id: person.id,
    name: person.name,
    deleted: false,
    salutationName: null,
    firstName: firstName ?? '',
    lastName: rest.join(' '),
    title: null,
    accountId: accountIdOf(pipeline, deal),
    accountName: deal.company,
    accountIsInactive: false,
    emailAddress: person.emails[0] ?? null,
    emailAddressIsOptedOut: false,
    emailAddressIsInvalid: false,
    phoneNumber: person.phones[0] ? `+${person.phones[0]}` : null,
    phoneNumberIsOptedOut: false,
    phoneNumberIsInvalid: false,
    opportunityRole: null,
    createdAt: utcTime(createdAt(deal)),
    assignedUserId: deal.owner.id,
    assignedUserName: deal.owner.name,
  };
}
