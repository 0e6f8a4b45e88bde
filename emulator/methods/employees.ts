import { duplicateEntity, entityNotFound } from '../errors';
import { type FieldRules, LIST_PARAMS, listRows } from '../query';
import type { Runtime } from '../runtime';
import type { Employee } from '../store';
import { checkKeys, optionalString, rejectNull, requireString, STRING_CAPS } from '../validate';
import { crmMethod, type Method } from './types';

const EMPLOYEE_FIELDS: FieldRules = {
  ext_id: { filter: true, sort: true },
  name: { filter: true, sort: true },
};

function findEmployee(rt: Runtime, extId: string): Employee {
  const employee = rt.data.employees.get(extId);
  if (!employee) throw entityNotFound('ext_id', extId);
  return employee;
}

const createEmployee = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['ext_id', 'name'], []);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  const name = requireString(params, 'name', '');
  if (rt.data.employees.has(extId)) throw duplicateEntity('ext_id', extId);
  rt.data.employees.set(extId, { ext_id: extId, name });
  return { data: { ext_id: extId } };
});

const getEmployees = crmMethod(false, (params, rt) => {
  checkKeys(params, '', [], LIST_PARAMS);
  const page = listRows([...rt.data.employees.values()], params, EMPLOYEE_FIELDS);
  return { data: page.rows, totalItems: page.totalItems };
});

const updateEmployee = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['ext_id'], ['name']);
  rejectNull(params, '', ['name']);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  const name = optionalString(params, 'name', '');
  const employee = findEmployee(rt, extId);
  if (name != null) employee.name = name;
  return { data: {} };
});

const deleteEmployee = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['ext_id'], []);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  findEmployee(rt, extId);
  rt.data.employees.delete(extId);
  return { data: {} };
});

export const employeeMethods: Record<string, Method> = {
  'create.deal_employees': createEmployee,
  'get.deal_employees': getEmployees,
  'update.deal_employees': updateEmployee,
  'delete.deal_employees': deleteEmployee,
};
