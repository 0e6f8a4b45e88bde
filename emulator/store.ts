import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

const stageSchema = z.object({
  ext_id: z.string(),
  name: z.string(),
  status: z.enum(['in_process', 'success', 'failed']),
  order: z.number(),
});

const funnelSchema = z.object({ ext_id: z.string(), name: z.string(), stages: z.array(stageSchema) });

const contactSchema = z.object({
  ext_id: z.string(),
  name: z.string(),
  created_date_time: z.string(),
  phone_numbers: z.array(z.string()),
  emails: z.array(z.string()),
  component: z.literal('dataapi'),
});

const employeeSchema = z.object({ ext_id: z.string(), name: z.string() });

const companySchema = z.object({
  ext_id: z.string(),
  name: z.string(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  contact_ext_ids: z.array(z.string()),
  description: z.string().nullable(),
  is_removed: z.boolean(),
  component: z.literal('dataapi'),
});

const userFieldSchema = z.object({
  ext_id: z.string(),
  name: z.string(),
  data_type: z.enum(['numeric', 'string']),
});

const dealRecordSchema = z.object({
  ext_id: z.string(),
  name: z.string(),
  created_date_time: z.string(),
  modified_date_time: z.string(),
  modified_stage_date_time: z.string(),
  closed_date_time: z.string().nullable(),
  sales_funnel_ext_id: z.string(),
  stage_ext_id: z.string(),
  contact_ext_ids: z.array(z.string()).nullable(),
  main_contact_ext_id: z.string().nullable(),
  employee_ext_id: z.string().nullable(),
  lead_ext_id: z.string().nullable(),
  company_ext_id: z.string().nullable(),
  revenue: z.number().nullable(),
  comments: z.string().nullable(),
  source: z.string().nullable(),
  communication_id: z.number().nullable(),
  communication_type: z.string().nullable(),
  tag_ext_ids: z.array(z.string()),
  // Kept whole for inspection; get.deals_history shows tag_ext_ids only. Defaults: files saved before these existed.
  tags: z.array(z.object({ ext_id: z.string(), name: z.string() })).default([]),
  user_fields: z.array(z.object({ ext_id: z.string(), value: z.string() })).default([]),
  child_customer_id: z.number().nullable(),
  is_generated: z.boolean(),
});

const persistedSchema = z.object({
  version: z.literal(1),
  funnels: z.array(funnelSchema),
  contacts: z.array(contactSchema),
  employees: z.array(employeeSchema),
  deals: z.record(z.string(), z.array(dealRecordSchema)),
  companies: z.array(companySchema).default([]),
  user_fields: z.array(userFieldSchema).default([]),
});

export type StageStatus = z.infer<typeof stageSchema>['status'];
export type Stage = z.infer<typeof stageSchema>;
export type Funnel = z.infer<typeof funnelSchema>;
export type Contact = z.infer<typeof contactSchema>;
export type Employee = z.infer<typeof employeeSchema>;
export type Company = z.infer<typeof companySchema>;
export type UserField = z.infer<typeof userFieldSchema>;
export type DealRecord = z.infer<typeof dealRecordSchema>;
export type PersistedData = z.infer<typeof persistedSchema>;

/** Maps keep insertion order (stable listings) and are safe for any ext_id, even "__proto__". */
export interface StoredData {
  funnels: Map<string, Funnel>;
  contacts: Map<string, Contact>;
  employees: Map<string, Employee>;
  deals: Map<string, DealRecord[]>;
  companies: Map<string, Company>;
  userFields: Map<string, UserField>;
}

export function emptyData(): StoredData {
  return {
    funnels: new Map(),
    contacts: new Map(),
    employees: new Map(),
    deals: new Map(),
    companies: new Map(),
    userFields: new Map(),
  };
}

export function toPersisted(data: StoredData): PersistedData {
  return {
    version: 1,
    funnels: [...data.funnels.values()],
    contacts: [...data.contacts.values()],
    employees: [...data.employees.values()],
    deals: Object.fromEntries(data.deals),
    companies: [...data.companies.values()],
    user_fields: [...data.userFields.values()],
  };
}

export function fromPersisted(persisted: PersistedData): StoredData {
  const byExtId = <T extends { ext_id: string }>(items: T[]) =>
    new Map(items.map((item) => [item.ext_id, item]));
  return {
    funnels: byExtId(persisted.funnels),
    contacts: byExtId(persisted.contacts),
    employees: byExtId(persisted.employees),
    deals: new Map(Object.entries(persisted.deals)),
    companies: byExtId(persisted.companies),
    userFields: byExtId(persisted.user_fields),
  };
}

/** The first deal with a stored record `uses`: what a delete must leave alone. */
export function dealUsing(data: StoredData, uses: (record: DealRecord) => boolean): string | undefined {
  for (const [dealExtId, records] of data.deals) if (records.some(uses)) return dealExtId;
  return undefined;
}

/** A missing file is an empty account; a corrupt one stops the start instead of silently losing data. */
export function loadData(path: string): StoredData {
  if (!existsSync(path)) return emptyData();
  const parsed = persistedSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`Emulator state file ${path} is not valid: ${parsed.error.message}`);
  return fromPersisted(parsed.data);
}

/** Write-then-rename so a crash mid-write never leaves a half file behind. */
export function saveData(path: string, data: StoredData): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, JSON.stringify(toPersisted(data), null, 2));
  renameSync(temporary, path);
}
