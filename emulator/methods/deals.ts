import { dataLimitExceeded, entityNotFound, invalidDateTime, invalidValue } from '../errors';
import { recordsToAppend } from '../history';
import { type FieldRules, LIST_PARAMS, listRows } from '../query';
import { nowInAccountZone, nowMs, type Runtime } from '../runtime';
import type { DealRecord, Funnel } from '../store';
import { checkKeys, fieldPath, requireArray, requireString, STRING_CAPS } from '../validate';
import { readDealRecord } from './deal-record';
import { crmMethod, type Method } from './types';

const MAX_RECORDS_PER_CALL = 1000;

const both = { filter: true, sort: true };
const filterOnly = { filter: true, sort: false };

const HISTORY_FIELDS: FieldRules = {
  ext_id: both,
  name: filterOnly,
  created_date_time: both,
  closed_date_time: both,
  modified_stage_date_time: both,
  main_contact_ext_id: both,
  contact_ext_ids: filterOnly,
  revenue: both,
  sales_funnel_ext_id: both,
  stage_ext_id: both,
  source: both,
  communication_id: both,
  communication_type: both,
  tag_ext_ids: filterOnly,
  employee_ext_id: filterOnly,
  is_generated: filterOnly,
  comments: { filter: false, sort: false },
};

const historyRow = (record: DealRecord) =>
  Object.fromEntries(Object.keys(HISTORY_FIELDS).map((field) => [field, record[field as keyof DealRecord]]));

interface Accepted {
  record: DealRecord;
  funnel: Funnel;
}

/** Every record is validated before anything is stored: one bad record fails the whole call. */
function validateUpload(items: unknown[], rt: Runtime, callTime: string): Accepted[] {
  const lastStageTime = new Map<string, string>();
  return items.map((item, i) => {
    const path = fieldPath('deals', i);
    const accepted = readDealRecord(item, path, rt.data, callTime);
    const { ext_id: dealExtId, modified_stage_date_time: stageTime } = accepted.record;
    const last =
      lastStageTime.get(dealExtId) ?? rt.data.deals.get(dealExtId)?.at(-1)?.modified_stage_date_time;
    if (last !== undefined && stageTime < last) {
      throw invalidDateTime(
        fieldPath(path, 'modified_stage_date_time'),
        stageTime,
        `is before the deal's last stage time ${last}`,
      );
    }
    lastStageTime.set(dealExtId, stageTime);
    return accepted;
  });
}

const uploadHistory = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['deals'], []);
  const items = requireArray(params, 'deals', '');
  if (items.length === 0) throw invalidValue('deals', items, 'needs at least one record');
  if (items.length > MAX_RECORDS_PER_CALL) throw dataLimitExceeded('deals', MAX_RECORDS_PER_CALL);
  const accepted = validateUpload(items, rt, nowInAccountZone(rt));
  const processedAt = nowMs(rt) + rt.config.processingDelayMs;
  for (const { record, funnel } of accepted) {
    const history = rt.data.deals.get(record.ext_id) ?? [];
    rt.data.deals.set(record.ext_id, [...history, ...recordsToAppend(history, record, funnel)]);
    if (rt.config.processingDelayMs > 0) rt.processing.set(record.ext_id, processedAt);
  }
  return { data: {} };
});

const getHistory = crmMethod(false, (params, rt) => {
  checkKeys(params, '', [], LIST_PARAMS);
  const rows = [...rt.data.deals.values()].flat().map(historyRow);
  const page = listRows(rows, params, HISTORY_FIELDS);
  return { data: page.rows, totalItems: page.totalItems };
});

const getInProcessing = crmMethod(false, (params, rt) => {
  checkKeys(params, '', [], []);
  const now = nowMs(rt);
  for (const [dealExtId, until] of rt.processing) {
    if (until <= now) rt.processing.delete(dealExtId);
  }
  return { data: { count: rt.processing.size } };
});

const deleteDeal = crmMethod(true, (params, rt) => {
  checkKeys(params, '', ['ext_id'], []);
  const extId = requireString(params, 'ext_id', '', STRING_CAPS.id);
  if (!rt.data.deals.has(extId)) throw entityNotFound('ext_id', extId);
  rt.data.deals.delete(extId);
  rt.processing.delete(extId);
  return { data: {} };
});

export const dealMethods: Record<string, Method> = {
  'upload.deals_history': uploadHistory,
  'get.deals_history': getHistory,
  'get.deals_in_processing': getInProcessing,
  'delete.deals': deleteDeal,
};
