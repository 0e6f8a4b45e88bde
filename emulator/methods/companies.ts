import { dataLimitExceeded, dependencyError, duplicateEntity, entityNotFound, invalidValue } from '../errors';
import { type FieldRules, LIST_PARAMS, listRows } from '../query';
import type { Runtime } from '../runtime';
import { type Company, dealUsing } from '../store';
import {
  checkKeys,
  fieldPath,
  type Obj,
  optionalEmails,
  optionalPhones,
  optionalString,
  optionalStringArray,
  rejectNull,
  requireString,
  STRING_CAPS,
} from '../validate';
import { crmMethod, type Method } from './types';

/** The docs' limit on a company's contacts. */
const MAX_CONTACTS = 1000;

const both = { filter: true, sort: true };

/** As get.crm_companies' table: description and is_removed filter but do not sort. */
const COMPANY_FIELDS: FieldRules = {
  ext_id: both,
  name: both,
  component: both,
  phones: both,
  emails: both,
  contact_ext_ids: both,
  contact_ids: both,
  description: { filter: true, sort: false },
  is_removed: { filter: true, sort: false },
};

/** The table's "default answer" column leaves description and is_removed out. */
const DEFAULT_FIELDS = ['ext_id', 'name', 'component', 'phones', 'emails', 'contact_ext_ids', 'contact_ids'];

const OPTIONAL = ['phones', 'emails', 'contact_ext_ids', 'description'];

/** Contacts must exist (as a deal's do) and be named once each. */
function readContacts(params: Obj, rt: Runtime): string[] | null | undefined {
  const contacts = optionalStringArray(params, 'contact_ext_ids', '', STRING_CAPS.id);
  if (contacts && contacts.length > MAX_CONTACTS) throw dataLimitExceeded('contact_ext_ids', MAX_CONTACTS);
  const seen = new Set<string>();
  contacts?.forEach((contactExtId, i) => {
    const field = fieldPath('contact_ext_ids', i);
    if (seen.has(contactExtId)) throw invalidValue(field, contactExtId, 'repeats an earlier contact');
    if (!rt.data.contacts.has(contactExtId)) throw entityNotFound(field, contactExtId);
    seen.add(contactExtId);
  });
  return contacts;
}

function findCompany(rt: Runtime, extId: string): Company {
  const company = rt.data.companies.get(extId);
  if (!company) throw entityNotFound('ext_id', extId);
  return company;
}

/** Answers `data: {}`, as its page shows (the other create methods answer the ext_id). */
const createCompany = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['ext_id', 'name'], OPTIONAL);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  const company: Company = {
    ext_id: extId,
    name: requireString(params, 'name', ''),
    phones: optionalPhones(params, 'phones', '') ?? [],
    emails: optionalEmails(params, 'emails', '') ?? [],
    contact_ext_ids: readContacts(params, rt) ?? [],
    description: optionalString(params, 'description', '') ?? null,
    is_removed: false,
    component: 'dataapi',
  };
  // A company marked removed still exists: bringing it back is update.crm_company's is_removed.
  if (rt.data.companies.has(extId)) throw duplicateEntity('ext_id', extId);
  rt.data.companies.set(extId, company);
  return { data: {} };
});

const getCompanies = crmMethod(false, (params, rt) => {
  checkKeys(params, '', [], LIST_PARAMS);
  // The emulator keeps no internal contact ids, so contact_ids is null rather than made up.
  const rows = [...rt.data.companies.values()].map((company) => ({ ...company, contact_ids: null }));
  const page = listRows(rows, params, COMPANY_FIELDS, DEFAULT_FIELDS);
  return { data: page.rows, totalItems: page.totalItems };
});

/** Name is required here too (the method's table); arrays replace the stored ones, null clears them. */
const updateCompany = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['ext_id', 'name'], [...OPTIONAL, 'is_removed']);
  rejectNull(params, '', ['is_removed']);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  const name = requireString(params, 'name', '');
  const phones = optionalPhones(params, 'phones', '');
  const emails = optionalEmails(params, 'emails', '');
  const contacts = readContacts(params, rt);
  const description = optionalString(params, 'description', '');
  const isRemoved = params.is_removed;
  if (isRemoved !== undefined && typeof isRemoved !== 'boolean') {
    throw invalidValue('is_removed', isRemoved, 'must be true or false');
  }
  const company = findCompany(rt, extId);
  company.name = name;
  if (phones !== undefined) company.phones = phones ?? [];
  if (emails !== undefined) company.emails = emails ?? [];
  if (contacts !== undefined) company.contact_ext_ids = contacts ?? [];
  if (description !== undefined) company.description = description;
  if (isRemoved !== undefined) company.is_removed = isRemoved;
  return { data: {} };
});

/** A company a stored deal record names stays: deleting it would leave that link dangling. */
const deleteCompany = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['ext_id'], []);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  findCompany(rt, extId);
  const dealExtId = dealUsing(rt.data, (record) => record.company_ext_id === extId);
  if (dealExtId !== undefined) {
    throw dependencyError('ext_id', extId, `Company '${extId}' is linked to deal '${dealExtId}'`);
  }
  rt.data.companies.delete(extId);
  return { data: {} };
});

export const companyMethods: Record<string, Method> = {
  'create.crm_company': createCompany,
  'get.crm_companies': getCompanies,
  'update.crm_company': updateCompany,
  'delete.crm_company': deleteCompany,
};
