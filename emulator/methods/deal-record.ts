import { entityNotFound, invalidCombination, invalidDateTime, invalidValue } from '../errors';
import type { DealRecord, Funnel, StoredData } from '../store';
import {
  checkKeys,
  expectObject,
  fieldPath,
  type Obj,
  optionalArray,
  optionalDateTime,
  optionalNumber,
  optionalString,
  optionalStringArray,
  requireDateTime,
  requireString,
  STRING_CAPS,
} from '../validate';

const REQUIRED = [
  'ext_id',
  'name',
  'created_date_time',
  'modified_stage_date_time',
  'sales_funnel_ext_id',
  'stage_ext_id',
] as const;

const OPTIONAL = [
  'modified_date_time',
  'closed_date_time',
  'contact_ext_ids',
  'main_contact_ext_id',
  'employee_ext_id',
  'lead_ext_id',
  'company_ext_id',
  'revenue',
  'comments',
  'source',
  'communication_id',
  'communication_type',
  'user_fields',
  'tags',
  'child_customer_id',
] as const;

const COMMUNICATION_TYPES = ['chat', 'offline_message', 'call', 'goal', 'email'];

/** `{ext_id, <valueKey>}` items, each ext_id once: the docs are silent on repeats, which can only be a client's slip. */
function readItems<K extends string>(
  obj: Obj,
  key: string,
  path: string,
  valueKey: K,
): ({ ext_id: string } & Record<K, string>)[] {
  const field = fieldPath(path, key);
  const seen = new Set<string>();
  return (optionalArray(obj, key, path) ?? []).map((item, i) => {
    const itemPath = fieldPath(field, i);
    const entry = expectObject(item, itemPath);
    checkKeys(entry, itemPath, ['ext_id', valueKey], []);
    const extId = requireString(entry, 'ext_id', itemPath, STRING_CAPS.id);
    if (seen.has(extId))
      throw invalidValue(fieldPath(itemPath, 'ext_id'), extId, `repeats an earlier ${key} item`);
    seen.add(extId);
    const value = requireString(entry, valueKey, itemPath, STRING_CAPS.text);
    return { ext_id: extId, [valueKey]: value } as { ext_id: string } & Record<K, string>;
  });
}

/** A numeric user field's value is still a string (the docs type it so); it must read as a number. */
const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;

function checkPairs(record: DealRecord, path: string): void {
  const hasContacts = record.contact_ext_ids !== null;
  const hasMain = record.main_contact_ext_id !== null;
  if (hasContacts !== hasMain) {
    const missing = hasContacts ? 'main_contact_ext_id' : 'contact_ext_ids';
    throw invalidCombination(
      fieldPath(path, missing),
      'contact_ext_ids and main_contact_ext_id are given together or not at all',
    );
  }
  if (hasMain && !record.contact_ext_ids?.includes(record.main_contact_ext_id as string)) {
    throw invalidValue(
      fieldPath(path, 'main_contact_ext_id'),
      record.main_contact_ext_id,
      'must be one of contact_ext_ids',
    );
  }
  if ((record.communication_id === null) !== (record.communication_type === null)) {
    const missing = record.communication_id === null ? 'communication_id' : 'communication_type';
    throw invalidCombination(
      fieldPath(path, missing),
      'communication_id and communication_type are given together or not at all',
    );
  }
}

function checkDates(record: DealRecord, path: string, now: string): void {
  if (record.created_date_time > now) {
    throw invalidDateTime(fieldPath(path, 'created_date_time'), record.created_date_time, 'is in the future');
  }
  if (record.modified_stage_date_time < record.created_date_time) {
    throw invalidDateTime(
      fieldPath(path, 'modified_stage_date_time'),
      record.modified_stage_date_time,
      'is before created_date_time',
    );
  }
  if (record.closed_date_time !== null && record.closed_date_time < record.created_date_time) {
    throw invalidDateTime(
      fieldPath(path, 'closed_date_time'),
      record.closed_date_time,
      'is before created_date_time',
    );
  }
}

function checkReferences(record: DealRecord, path: string, data: StoredData): Funnel {
  const funnel = data.funnels.get(record.sales_funnel_ext_id);
  if (!funnel) throw entityNotFound(fieldPath(path, 'sales_funnel_ext_id'), record.sales_funnel_ext_id);
  if (!funnel.stages.some((s) => s.ext_id === record.stage_ext_id)) {
    throw entityNotFound(fieldPath(path, 'stage_ext_id'), record.stage_ext_id);
  }
  record.contact_ext_ids?.forEach((contactExtId, i) => {
    if (!data.contacts.has(contactExtId))
      throw entityNotFound(fieldPath(path, `contact_ext_ids.${i}`), contactExtId);
  });
  if (record.employee_ext_id !== null && !data.employees.has(record.employee_ext_id)) {
    throw entityNotFound(fieldPath(path, 'employee_ext_id'), record.employee_ext_id);
  }
  if (record.company_ext_id !== null) {
    const company = data.companies.get(record.company_ext_id);
    if (!company || company.is_removed) {
      throw entityNotFound(fieldPath(path, 'company_ext_id'), record.company_ext_id);
    }
  }
  // upload.leads_history is not emulated, so no lead exists to link to.
  if (record.lead_ext_id !== null) throw entityNotFound(fieldPath(path, 'lead_ext_id'), record.lead_ext_id);
  record.user_fields.forEach((userField, i) => {
    const field = data.userFields.get(userField.ext_id);
    if (!field) throw entityNotFound(fieldPath(path, `user_fields.${i}.ext_id`), userField.ext_id);
    if (field.data_type === 'numeric' && !NUMERIC_TEXT.test(userField.value)) {
      throw invalidValue(
        fieldPath(path, `user_fields.${i}.value`),
        userField.value,
        'the field is numeric: a number written as text, e.g. "1500.50"',
      );
    }
  });
  return funnel;
}

function readShape(item: unknown, path: string, callTime: string) {
  const deal = expectObject(item, path);
  checkKeys(deal, path, REQUIRED, OPTIONAL);
  const id = (key: string) => optionalString(deal, key, path, STRING_CAPS.id) ?? null;
  const text = (key: string) => optionalString(deal, key, path) ?? null;
  const communicationType = text('communication_type');
  if (communicationType !== null && !COMMUNICATION_TYPES.includes(communicationType)) {
    throw invalidValue(
      fieldPath(path, 'communication_type'),
      communicationType,
      `one of ${COMMUNICATION_TYPES.join(', ')}`,
    );
  }
  const revenue = optionalNumber(deal, 'revenue', path) ?? null;
  if (revenue !== null && revenue < 0)
    throw invalidValue(fieldPath(path, 'revenue'), revenue, 'must not be negative');
  const userFields = readItems(deal, 'user_fields', path, 'value');
  const tags = readItems(deal, 'tags', path, 'name');
  const record: DealRecord = {
    ext_id: requireString(deal, 'ext_id', path, STRING_CAPS.id),
    name: requireString(deal, 'name', path),
    created_date_time: requireDateTime(deal, 'created_date_time', path),
    modified_date_time: optionalDateTime(deal, 'modified_date_time', path) ?? callTime,
    modified_stage_date_time: requireDateTime(deal, 'modified_stage_date_time', path),
    closed_date_time: optionalDateTime(deal, 'closed_date_time', path) ?? null,
    sales_funnel_ext_id: requireString(deal, 'sales_funnel_ext_id', path, STRING_CAPS.id),
    stage_ext_id: requireString(deal, 'stage_ext_id', path, STRING_CAPS.id),
    contact_ext_ids: optionalStringArray(deal, 'contact_ext_ids', path, STRING_CAPS.id) ?? null,
    main_contact_ext_id: id('main_contact_ext_id'),
    employee_ext_id: id('employee_ext_id'),
    lead_ext_id: id('lead_ext_id'),
    company_ext_id: id('company_ext_id'),
    revenue,
    comments: text('comments'),
    source: text('source'),
    communication_id: optionalNumber(deal, 'communication_id', path, true) ?? null,
    communication_type: communicationType,
    tag_ext_ids: tags.map((tag) => tag.ext_id),
    tags,
    user_fields: userFields,
    child_customer_id: optionalNumber(deal, 'child_customer_id', path, true) ?? null,
    is_generated: false,
  };
  return record;
}

/** Validates one `deals[i]` record in full except the per-deal ordering rule, which needs the whole call. */
export function readDealRecord(
  item: unknown,
  path: string,
  data: StoredData,
  callTime: string,
): { record: DealRecord; funnel: Funnel } {
  const record = readShape(item, path, callTime);
  checkPairs(record, path);
  checkDates(record, path, callTime);
  const funnel = checkReferences(record, path, data);
  return { record, funnel };
}
