import { dataLimitExceeded, duplicateEntity, entityNotFound, invalidValue } from '../errors';
import { type FieldRules, LIST_PARAMS, listRows } from '../query';
import { nowInAccountZone, type Runtime } from '../runtime';
import type { Contact } from '../store';
import {
  checkKeys,
  expectObject,
  fieldPath,
  type Obj,
  optionalDateTime,
  optionalEmails,
  optionalPhones,
  optionalString,
  rejectNull,
  requireArray,
  requireString,
  STRING_CAPS,
} from '../validate';
import { crmMethod, type Method } from './types';

const MAX_CONTACTS_PER_CALL = 1000;

const CONTACT_FIELDS: FieldRules = {
  ext_id: { filter: true, sort: true },
  name: { filter: true, sort: true },
  created_date_time: { filter: false, sort: false },
  phone_numbers: { filter: true, sort: false },
  emails: { filter: true, sort: false },
  component: { filter: true, sort: true },
};

const readPhones = (obj: Obj, path: string) => optionalPhones(obj, 'phone_numbers', path);
const readEmails = (obj: Obj, path: string) => optionalEmails(obj, 'emails', path);

const CONTACT_KEYS = ['created_date_time', 'phone_numbers', 'emails'];

function readNewContact(item: unknown, path: string, callTime: string): Contact {
  const contact = expectObject(item, path);
  checkKeys(contact, path, ['ext_id', 'name'], CONTACT_KEYS);
  return {
    ext_id: requireString(contact, 'ext_id', path, STRING_CAPS.id),
    name: requireString(contact, 'name', path),
    created_date_time: optionalDateTime(contact, 'created_date_time', path) ?? callTime,
    phone_numbers: readPhones(contact, path) ?? [],
    emails: readEmails(contact, path) ?? [],
    component: 'dataapi',
  };
}

const createContacts = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['contacts'], []);
  const items = requireArray(params, 'contacts', '');
  if (items.length === 0) throw invalidValue('contacts', items, 'needs at least one contact');
  if (items.length > MAX_CONTACTS_PER_CALL) throw dataLimitExceeded('contacts', MAX_CONTACTS_PER_CALL);
  const callTime = nowInAccountZone(rt);
  const contacts = items.map((item, i) => readNewContact(item, fieldPath('contacts', i), callTime));
  const seen = new Set<string>();
  contacts.forEach((contact, i) => {
    if (rt.data.contacts.has(contact.ext_id) || seen.has(contact.ext_id)) {
      throw duplicateEntity(`contacts.${i}.ext_id`, contact.ext_id);
    }
    seen.add(contact.ext_id);
  });
  for (const contact of contacts) rt.data.contacts.set(contact.ext_id, contact);
  return { data: {} };
});

const getContacts = crmMethod(false, (params, rt) => {
  checkKeys(params, '', [], LIST_PARAMS);
  const page = listRows([...rt.data.contacts.values()], params, CONTACT_FIELDS);
  return { data: page.rows, totalItems: page.totalItems };
});

function findContact(rt: Runtime, extId: string): Contact {
  const contact = rt.data.contacts.get(extId);
  if (!contact) throw entityNotFound('ext_id', extId);
  return contact;
}

const updateContact = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['ext_id'], ['name', ...CONTACT_KEYS]);
  rejectNull(params, '', ['name', 'created_date_time']);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  const name = optionalString(params, 'name', '');
  const createdDateTime = optionalDateTime(params, 'created_date_time', '');
  const phones = readPhones(params, '');
  const emails = readEmails(params, '');
  const contact = findContact(rt, extId);
  if (name != null) contact.name = name;
  if (createdDateTime != null) contact.created_date_time = createdDateTime;
  if (phones !== undefined) contact.phone_numbers = phones ?? [];
  if (emails !== undefined) contact.emails = emails ?? [];
  return { data: {} };
});

const deleteContact = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['ext_id'], []);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  findContact(rt, extId);
  rt.data.contacts.delete(extId);
  return { data: {} };
});

export const contactMethods: Record<string, Method> = {
  'create.deal_contacts': createContacts,
  'get.deal_contacts': getContacts,
  'update.deal_contacts': updateContact,
  'delete.deal_contacts': deleteContact,
};
