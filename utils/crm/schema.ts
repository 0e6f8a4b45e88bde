/**
 * zod schemas for the neutral model, for the background's message boundary: a snapshot comes from a
 * content script inside a page the extension does not control. Caps keep a hostile or broken page
 * from flooding storage; the mapping trims long names further. They are the limits the content
 * script cuts a reading to (`limits.ts`), so only a forged reading goes over them.
 */
import { z } from 'zod';
import { LIMITS } from './limits';
import type { CrmBoard, CrmDeal } from './model';
import type { ScrapeReport } from './scrape';

const Text = z.string().max(LIMITS.text);
const Id = z.string().max(LIMITS.id);
const Instant = z.string().max(LIMITS.instant);
const Phones = z.array(z.string().max(LIMITS.phone)).max(LIMITS.phones);
const Emails = z.array(z.string().max(LIMITS.email)).max(LIMITS.emails);

const Stage = z.object({
  id: Id,
  name: Text,
  outcome: z.enum(['won', 'lost', 'in_progress']).nullable(),
});

const Contact = z.object({
  id: Id.nullable(),
  name: Text,
  phones: Phones,
  emails: Emails,
  createdAt: Instant.nullable(),
});

const Visit = z.object({
  stage: Stage,
  enteredAt: Instant,
  source: z.enum(['timeline', 'board', 'observed', 'created']),
  estimated: z.boolean(),
});

const CrmIdSchema = z.union([
  z.enum(['espocrm', 'amocrm', 'odoo']),
  z.string().regex(/^recipe:.{1,100}$/) as z.ZodType<`recipe:${string}`>,
]);

export const CrmDealSchema = z.object({
  crm: CrmIdSchema,
  id: Id.nullable(),
  url: z.string().max(LIMITS.url),
  name: Text,
  pipeline: z.object({ id: Id, name: Text }).nullable(),
  stage: Stage.nullable(),
  amount: z
    .object({
      amount: z.number().finite(),
      currency: z.string().max(LIMITS.currency).nullable(),
      rounded: z.boolean(),
    })
    .nullable(),
  createdAt: Instant.nullable(),
  modifiedAt: Instant.nullable(),
  closedAt: Instant.nullable(),
  owner: z.object({ id: Id.nullable(), name: Text }).nullable(),
  contacts: z.array(Contact).max(LIMITS.contacts),
  history: z.array(Visit).max(LIMITS.history),
  company: z
    .object({
      id: Id.nullable().optional(),
      name: Text,
      phones: Phones.optional(),
      emails: Emails.optional(),
    })
    .nullable()
    .optional(),
  source: Text.nullable().optional(),
  tags: z.array(z.string().max(LIMITS.tag)).max(LIMITS.tags).optional(),
  description: Text.nullable().optional(),
  fields: z
    .record(z.string().max(LIMITS.fieldName), z.string().max(LIMITS.fieldValue))
    .refine((fields) => Object.keys(fields).length <= LIMITS.fields, `at most ${LIMITS.fields} fields`)
    .optional(),
}) satisfies z.ZodType<CrmDeal>;

export const CrmBoardSchema = z.object({
  crm: CrmIdSchema,
  url: z.string().max(LIMITS.url),
  pipeline: z.object({ id: Id, name: Text }),
  stages: z.array(Stage).max(LIMITS.stages),
  deals: z.array(CrmDealSchema).max(LIMITS.deals),
  incompleteStages: z.array(Id),
}) satisfies z.ZodType<CrmBoard>;

const ProblemSchema = z.object({
  code: z.string().max(LIMITS.problemCode),
  field: z.string().max(LIMITS.problemField),
  detail: z.string().max(LIMITS.problemDetail).optional(),
  dealId: Id.nullable().optional(),
  severity: z.enum(['error', 'warning']),
});

/** A content script's reading of its page, as the background receives it. */
export const ScrapeReportSchema = z.object({
  url: z.string().max(LIMITS.url),
  adapterId: CrmIdSchema.nullable(),
  adapterLabel: z.string().max(LIMITS.adapterLabel).nullable(),
  kind: z.enum(['deal', 'board']).nullable(),
  reasons: z.array(z.string().max(LIMITS.reason)).max(LIMITS.reasons),
  deal: CrmDealSchema.nullable(),
  board: CrmBoardSchema.nullable(),
  problems: z.array(ProblemSchema).max(LIMITS.problems),
}) satisfies z.ZodType<ScrapeReport>;
