/**
 * zod schemas for the neutral model, for the background's message boundary: a snapshot comes from a
 * content script inside a page the extension does not control. Caps keep a hostile or broken page
 * from flooding storage; the mapping trims long names further.
 */
import { z } from 'zod';
import type { CrmBoard, CrmDeal } from './model';
import type { ScrapeReport } from './scrape';

const Text = z.string().max(200_000);
const Id = z.string().max(1_000);
const Instant = z.string().max(64);

const Stage = z.object({
  id: Id,
  name: Text,
  outcome: z.enum(['won', 'lost', 'in_progress']).nullable(),
});

const Contact = z.object({
  id: Id.nullable(),
  name: Text,
  phones: z.array(z.string().max(200)).max(50),
  emails: z.array(z.string().max(320)).max(50),
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
  url: z.string().max(8_000),
  name: Text,
  pipeline: z.object({ id: Id, name: Text }).nullable(),
  stage: Stage.nullable(),
  amount: z
    .object({ amount: z.number().finite(), currency: z.string().max(16).nullable(), rounded: z.boolean() })
    .nullable(),
  createdAt: Instant.nullable(),
  modifiedAt: Instant.nullable(),
  closedAt: Instant.nullable(),
  owner: z.object({ id: Id.nullable(), name: Text }).nullable(),
  contacts: z.array(Contact).max(200),
  history: z.array(Visit).max(1_000),
  company: z
    .object({
      id: Id.nullable().optional(),
      name: Text,
      phones: z.array(z.string().max(200)).max(50).optional(),
      emails: z.array(z.string().max(320)).max(50).optional(),
    })
    .nullable()
    .optional(),
  source: Text.nullable().optional(),
  tags: z.array(z.string().max(1_000)).max(200).optional(),
  description: Text.nullable().optional(),
  fields: z
    .record(z.string().max(200), z.string().max(10_000))
    .refine((fields) => Object.keys(fields).length <= 200, 'at most 200 fields')
    .optional(),
}) satisfies z.ZodType<CrmDeal>;

export const CrmBoardSchema = z.object({
  crm: CrmIdSchema,
  url: z.string().max(8_000),
  pipeline: z.object({ id: Id, name: Text }),
  stages: z.array(Stage).max(500),
  deals: z.array(CrmDealSchema).max(20_000),
  incompleteStages: z.array(Id),
}) satisfies z.ZodType<CrmBoard>;

const ProblemSchema = z.object({
  code: z.string().max(100),
  field: z.string().max(1_000),
  detail: z.string().max(10_000).optional(),
  dealId: Id.nullable().optional(),
  severity: z.enum(['error', 'warning']),
});

/** A content script's reading of its page, as the background receives it. */
export const ScrapeReportSchema = z.object({
  url: z.string().max(8_000),
  adapterId: CrmIdSchema.nullable(),
  adapterLabel: z.string().max(200).nullable(),
  kind: z.enum(['deal', 'board']).nullable(),
  reasons: z.array(z.string().max(10_000)).max(1_000),
  deal: CrmDealSchema.nullable(),
  board: CrmBoardSchema.nullable(),
  problems: z.array(ProblemSchema).max(100_000),
}) satisfies z.ZodType<ScrapeReport>;
