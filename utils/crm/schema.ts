/**
 * zod schemas for the neutral model, for the background's message boundary: a snapshot comes from a
 * content script inside a page the extension does not control. Caps keep a hostile or broken page
 * from flooding storage; the mapping trims long names further.
 */
import { z } from 'zod';
import type { CrmBoard, CrmDeal } from './model';

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
}) satisfies z.ZodType<CrmDeal>;

export const CrmBoardSchema = z.object({
  crm: CrmIdSchema,
  url: z.string().max(8_000),
  pipeline: z.object({ id: Id, name: Text }),
  stages: z.array(Stage).max(500),
  deals: z.array(CrmDealSchema).max(20_000),
  incompleteStages: z.array(Id),
}) satisfies z.ZodType<CrmBoard>;
