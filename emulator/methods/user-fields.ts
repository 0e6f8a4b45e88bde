import { dependencyError, duplicateEntity, entityNotFound, invalidValue } from '../errors';
import { type FieldRules, LIST_PARAMS, listRows } from '../query';
import type { Runtime } from '../runtime';
import { dealUsing, type UserField } from '../store';
import { checkKeys, requireString, STRING_CAPS } from '../validate';
import { crmMethod, type Method } from './types';

const DATA_TYPES = ['numeric', 'string'] as const;

const both = { filter: true, sort: true };
const USER_FIELD_FIELDS: FieldRules = { ext_id: both, name: both, data_type: both };

function findUserField(rt: Runtime, extId: string): UserField {
  const field = rt.data.userFields.get(extId);
  if (!field) throw entityNotFound('ext_id', extId);
  return field;
}

const createUserField = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['ext_id', 'name', 'data_type'], []);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  const name = requireString(params, 'name', '');
  const dataType = requireString(params, 'data_type', '');
  if (!(DATA_TYPES as readonly string[]).includes(dataType)) {
    throw invalidValue('data_type', dataType, `one of ${DATA_TYPES.join(', ')}`);
  }
  if (rt.data.userFields.has(extId)) throw duplicateEntity('ext_id', extId);
  rt.data.userFields.set(extId, { ext_id: extId, name, data_type: dataType as UserField['data_type'] });
  return { data: { ext_id: extId } };
});

const getUserFields = crmMethod(false, (params, rt) => {
  checkKeys(params, '', [], LIST_PARAMS);
  const page = listRows([...rt.data.userFields.values()], params, USER_FIELD_FIELDS);
  return { data: page.rows, totalItems: page.totalItems };
});

/** Only the name changes (the data type is not a parameter); answers the ext_id, as the page's skeleton shows. */
const updateUserField = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['ext_id', 'name'], []);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  const name = requireString(params, 'name', '');
  findUserField(rt, extId).name = name;
  return { data: { ext_id: extId } };
});

/** A field a stored deal record carries a value of stays, so no stored value loses its field. */
const deleteUserField = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['ext_id'], []);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  findUserField(rt, extId);
  const dealExtId = dealUsing(rt.data, (record) =>
    record.user_fields.some((value) => value.ext_id === extId),
  );
  if (dealExtId !== undefined) {
    throw dependencyError('ext_id', extId, `User field '${extId}' has a value on deal '${dealExtId}'`);
  }
  rt.data.userFields.delete(extId);
  return { data: {} };
});

export const userFieldMethods: Record<string, Method> = {
  'create.deal_user_field': createUserField,
  'get.deal_user_fields': getUserFields,
  'update.deal_user_field': updateUserField,
  'delete.deal_user_field': deleteUserField,
};
