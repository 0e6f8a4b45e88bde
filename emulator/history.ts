import type { DealRecord, Funnel, Stage } from './store';

/**
 * Same stage at the same stage time as the deal's last stored record: not a new stage visit but an
 * update of that record ("the deal is updated with each new call").
 */
export function isRepeatOfLast(history: readonly DealRecord[], record: DealRecord): boolean {
  const last = history.at(-1);
  return (
    last !== undefined &&
    last.sales_funnel_ext_id === record.sales_funnel_ext_id &&
    last.stage_ext_id === record.stage_ext_id &&
    last.modified_stage_date_time === record.modified_stage_date_time
  );
}

/**
 * In_process stages a forward move skips: moving to a later in_process stage
 * skips those strictly between; moving to success skips every later in_process stage. Moves to failed,
 * backwards, across funnels or a deal's first record skip nothing.
 */
export function skippedStages(funnel: Funnel, from: DealRecord | undefined, toStageExtId: string): Stage[] {
  if (!from || from.sales_funnel_ext_id !== funnel.ext_id) return [];
  const start = funnel.stages.find((s) => s.ext_id === from.stage_ext_id);
  const target = funnel.stages.find((s) => s.ext_id === toStageExtId);
  if (!start || !target || start.status !== 'in_process') return [];
  if (target.status === 'failed') return [];
  const ceiling = target.status === 'success' ? Number.POSITIVE_INFINITY : target.order;
  return funnel.stages
    .filter((s) => s.status === 'in_process' && s.order > start.order && s.order < ceiling)
    .sort((a, b) => a.order - b.order);
}

/**
 * The deal's history after one uploaded record: a repeat of the last record replaces it with the values
 * now sent (revenue, contacts, owner, name, ...); any other record is appended after the generated
 * fill-ins of the stages it skipped.
 */
export function historyAfter(
  history: readonly DealRecord[],
  record: DealRecord,
  funnel: Funnel,
): DealRecord[] {
  if (isRepeatOfLast(history, record)) return [...history.slice(0, -1), record];
  const generated = skippedStages(funnel, history.at(-1), record.stage_ext_id).map((stage) => ({
    ...record,
    stage_ext_id: stage.ext_id,
    closed_date_time: null,
    is_generated: true,
  }));
  return [...history, ...generated, record];
}

/** Who the deal is linked to: the docs let a record change it only when one of its times moved forward. */
export function linksChanged(last: DealRecord, record: DealRecord): boolean {
  const contacts = (r: DealRecord) => JSON.stringify([r.main_contact_ext_id, r.contact_ext_ids]);
  const communication = (r: DealRecord) => `${r.communication_type}:${r.communication_id}`;
  return contacts(last) !== contacts(record) || communication(last) !== communication(record);
}

export function timesMovedForward(last: DealRecord, record: DealRecord): boolean {
  return (
    record.modified_stage_date_time > last.modified_stage_date_time ||
    record.modified_date_time > last.modified_date_time
  );
}
