import { dataLimitExceeded, entityNotFound, invalidDateTime, invalidValue } from '../errors';
import { historyAfter, linksChanged, timesMovedForward } from '../history';
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
  const lastInCall = new Map<string, DealRecord>();
  return items.map((item, i) => {
    const path = fieldPath('deals', i);
    const accepted = readDealRecord(item, path, rt.data, callTime);
    const { record } = accepted;
    const last = lastInCall.get(record.ext_id) ?? rt.data.deals.get(record.ext_id)?.at(-1);
    if (last && record.modified_stage_date_time < last.modified_stage_date_time) {
      throw invalidDateTime(
        fieldPath(path, 'modified_stage_date_time'),
        record.modified_stage_date_time,
        `is before the deal's last stage time ${last.modified_stage_date_time}`,
      );
    }
    // Refused rather than ignored, so a client that never moves its times cannot believe it relinked a deal.
    if (last && linksChanged(last, record) && !timesMovedForward(last, record)) {
      throw invalidDateTime(
        fieldPath(path, 'modified_date_time'),
        record.modified_date_time,
        `changes the deal's contacts or communication, which needs modified_date_time after ${last.modified_date_time} or a later stage time`,
      );
    }
    lastInCall.set(record.ext_id, record);
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
    rt.data.deals.set(record.ext_id, historyAfter(rt.data.deals.get(record.ext_id) ?? [], record, funnel));
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
