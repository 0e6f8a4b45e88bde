import {
  dataLimitExceeded,
  dependencyError,
  duplicateEntity,
  entityNotFound,
  forbiddenEntity,
  invalidValue,
} from '../errors';
import { type FieldRules, LIST_PARAMS, listRows } from '../query';
import type { Runtime } from '../runtime';
import type { Funnel, Stage, StoredData } from '../store';
import {
  checkKeys,
  expectObject,
  fieldPath,
  type Obj,
  optionalNumber,
  optionalString,
  rejectNull,
  requireArray,
  requireNumber,
  requireString,
  STRING_CAPS,
} from '../validate';
import { crmMethod, type Method } from './types';

const MAX_ORDER = 10_000;
const MAX_IN_PROCESS = 100;
const MAX_STAGES_PER_FUNNEL = 100;
/** Where the guide's example shows the terminal stages: after the 10000 ceiling of in_process orders. */
const SUCCESS_ORDER = 10_010;
const FAILED_ORDER = 10_020;

const FUNNEL_FIELDS: FieldRules = {
  ext_id: { filter: true, sort: true },
  name: { filter: true, sort: true },
  stages: { filter: false, sort: false },
};

function checkOrder(order: number, field: string): number {
  if (order < 0 || order > MAX_ORDER) throw invalidValue(field, order, `must be between 0 and ${MAX_ORDER}`);
  return order;
}

function readTerminalStage(stages: Obj, key: 'success' | 'failed'): Stage {
  const path = fieldPath('stages', key);
  const stage = expectObject(stages[key], path);
  checkKeys(stage, path, ['ext_id', 'name'], []);
  return {
    ext_id: requireString(stage, 'ext_id', path, STRING_CAPS.id),
    name: requireString(stage, 'name', path),
    status: key,
    order: key === 'success' ? SUCCESS_ORDER : FAILED_ORDER,
  };
}

function readInProcessStages(stages: Obj): Stage[] {
  const items = requireArray(stages, 'in_process', 'stages');
  if (items.length === 0) throw invalidValue('stages.in_process', items, 'needs at least one stage');
  if (items.length > MAX_IN_PROCESS) throw dataLimitExceeded('stages.in_process', MAX_IN_PROCESS);
  return items.map((item, i) => {
    const path = fieldPath('stages.in_process', i);
    const stage = expectObject(item, path);
    checkKeys(stage, path, ['ext_id', 'name', 'order'], []);
    return {
      ext_id: requireString(stage, 'ext_id', path, STRING_CAPS.id),
      name: requireString(stage, 'name', path),
      status: 'in_process' as const,
      order: checkOrder(requireNumber(stage, 'order', path, true), fieldPath(path, 'order')),
    };
  });
}

function readStages(params: Obj): Stage[] {
  const stages = expectObject(params.stages, 'stages');
  checkKeys(stages, 'stages', ['success', 'failed', 'in_process'], []);
  const inProcess = readInProcessStages(stages);
  const all = [...inProcess, readTerminalStage(stages, 'success'), readTerminalStage(stages, 'failed')];
  const seen = new Set<string>();
  all.forEach((stage, i) => {
    if (seen.has(stage.ext_id)) {
      const path = i < inProcess.length ? `stages.in_process.${i}.ext_id` : `stages.${stage.status}.ext_id`;
      throw duplicateEntity(path, stage.ext_id);
    }
    seen.add(stage.ext_id);
  });
  return all;
}

export function findFunnel(data: StoredData, extId: string, field: string): Funnel {
  const funnel = data.funnels.get(extId);
  if (!funnel) throw entityNotFound(field, extId);
  return funnel;
}

function findStage(funnel: Funnel, extId: string, field: string): Stage {
  const stage = funnel.stages.find((s) => s.ext_id === extId);
  if (!stage) throw entityNotFound(field, extId);
  return stage;
}

const lastRecordOf = (data: StoredData, dealExtId: string) => data.deals.get(dealExtId)?.at(-1);

function funnelHasDeals(data: StoredData, funnelExtId: string): boolean {
  return [...data.deals.values()].some((records) =>
    records.some((r) => r.sales_funnel_ext_id === funnelExtId),
  );
}

function stageHasCurrentDeals(data: StoredData, funnelExtId: string, stageExtId: string): boolean {
  return [...data.deals.keys()].some((dealExtId) => {
    const last = lastRecordOf(data, dealExtId);
    return last?.sales_funnel_ext_id === funnelExtId && last.stage_ext_id === stageExtId;
  });
}

const byOrder = (a: Stage, b: Stage) => a.order - b.order;

const funnelRow = (funnel: Funnel) => ({
  ext_id: funnel.ext_id,
  name: funnel.name,
  stages: [...funnel.stages].sort(byOrder).map((s) => ({
    stage_ext_id: s.ext_id,
    stage_name: s.name,
    stage_status: s.status,
    stage_order: s.order,
  })),
});

const createFunnel = crmMethod(true, (params, rt: Runtime) => {
  checkKeys(params, '', ['ext_id', 'name', 'stages'], []);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  const name = requireString(params, 'name', '');
  const stages = readStages(params);
  if (rt.data.funnels.has(extId)) throw duplicateEntity('ext_id', extId);
  rt.data.funnels.set(extId, { ext_id: extId, name, stages });
  return { data: { ext_id: extId } };
});

const getFunnels = crmMethod(false, (params, rt) => {
  checkKeys(params, '', [], LIST_PARAMS);
  const page = listRows([...rt.data.funnels.values()].map(funnelRow), params, FUNNEL_FIELDS);
  return { data: page.rows, totalItems: page.totalItems };
});

const updateFunnel = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['ext_id', 'name'], []);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  const name = requireString(params, 'name', '');
  findFunnel(rt.data, extId, 'ext_id').name = name;
  return { data: {} };
});

const deleteFunnel = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['ext_id'], []);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  findFunnel(rt.data, extId, 'ext_id');
  if (funnelHasDeals(rt.data, extId))
    throw dependencyError('ext_id', extId, 'Only an empty sales funnel can be deleted');
  rt.data.funnels.delete(extId);
  return { data: {} };
});

const STAGE_KEYS = ['sales_funnel_ext_id', 'ext_id'];

function readStageAddress(params: Obj) {
  return {
    funnelExtId: requireString(params, 'sales_funnel_ext_id', '', STRING_CAPS.id),
    extId: requireString(params, 'ext_id', '', STRING_CAPS.id),
  };
}

const createStage = crmMethod(true, (params, rt) => {
  checkKeys(params, '', [...STAGE_KEYS, 'name', 'order'], []);
  const { funnelExtId, extId } = readStageAddress(params);
  const name = requireString(params, 'name', '');
  const order = checkOrder(requireNumber(params, 'order', '', true), 'order');
  const funnel = findFunnel(rt.data, funnelExtId, 'sales_funnel_ext_id');
  if (funnel.stages.length >= MAX_STAGES_PER_FUNNEL)
    throw dataLimitExceeded('sales_funnel_ext_id', MAX_STAGES_PER_FUNNEL);
  if (funnel.stages.some((s) => s.ext_id === extId)) throw duplicateEntity('ext_id', extId);
  funnel.stages.push({ ext_id: extId, name, status: 'in_process', order });
  return { data: { ext_id: extId } };
});

const updateStage = crmMethod(true, (params, rt) => {
  checkKeys(params, '', STAGE_KEYS, ['name', 'order']);
  rejectNull(params, '', ['name', 'order']);
  const { funnelExtId, extId } = readStageAddress(params);
  const name = optionalString(params, 'name', '');
  const order = optionalNumber(params, 'order', '', true);
  if (order != null) checkOrder(order, 'order');
  const stage = findStage(findFunnel(rt.data, funnelExtId, 'sales_funnel_ext_id'), extId, 'ext_id');
  if (order != null && stage.status !== 'in_process') {
    throw invalidValue('order', order, 'only in_process stages have an order');
  }
  if (name != null) stage.name = name;
  if (order != null) stage.order = order;
  return { data: {} };
});

const deleteStage = crmMethod(true, (params, rt) => {
  checkKeys(params, '', STAGE_KEYS, []);
  const { funnelExtId, extId } = readStageAddress(params);
  const funnel = findFunnel(rt.data, funnelExtId, 'sales_funnel_ext_id');
  const stage = findStage(funnel, extId, 'ext_id');
  if (stage.status !== 'in_process') {
    throw forbiddenEntity('ext_id', extId, 'The success and failed stages of a funnel cannot be deleted');
  }
  if (stageHasCurrentDeals(rt.data, funnelExtId, extId)) {
    throw dependencyError('ext_id', extId, 'A stage with deals in it cannot be deleted');
  }
  if (funnel.stages.filter((s) => s.status === 'in_process').length <= 1) {
    throw dependencyError('ext_id', extId, 'A funnel must keep at least one in_process stage');
  }
  funnel.stages = funnel.stages.filter((s) => s !== stage);
  return { data: {} };
});

export const funnelMethods: Record<string, Method> = {
  'create.sales_funnel': createFunnel,
  'get.sales_funnel': getFunnels,
  'update.sales_funnel': updateFunnel,
  'delete.sales_funnel': deleteFunnel,
  'create.sales_funnel_stages': createStage,
  'update.sales_funnel_stages': updateStage,
  'delete.sales_funnel_stages': deleteStage,
};
