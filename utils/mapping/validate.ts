/**
 * Local checks of one deal's payloads before they are queued: `upload.deals_history` is
 * all-or-nothing, so one bad record caught here saves a failed call for the whole batch.
 * The zod schemas check shapes; the rules below are the API's and say what to fix.
 */
import { z } from 'zod';
import {
  DateTime,
  type DealContact,
  DealContact as DealContactSchema,
  type DealEmployee,
  DealEmployee as DealEmployeeSchema,
  type DealHistoryRecord,
  DealHistoryRecord as DealHistoryRecordSchema,
  isDateTime,
} from '../comagic/schemas';
import { MAX_NAME_LENGTH } from './names';
import { type Issue, issue } from './problems';

export interface DealPayloads {
  /** Oldest first. */
  records: DealHistoryRecord[];
  contacts: DealContact[];
  employee: DealEmployee | null;
}

export interface ValidationRules {
  funnelExtId: string;
  /** Every stage ext_id of the funnel. */
  stageExtIds: ReadonlySet<string>;
  /** The reference "now" as `YYYY-MM-DD hh:mm:ss` in the account's time zone. */
  now: string;
}

/** What differs between the records of one deal; the rest is the deal's own part. */
const StageFields = z.object({
  modified_stage_date_time: DateTime,
  closed_date_time: DateTime.optional(),
  stage_ext_id: z.string().min(1),
});
const STAGE_FIELDS = new Set(Object.keys(StageFields.shape));

const isDateTimeText = (value: unknown) => typeof value === 'string' && isDateTime(value);

/** What `StageFields` accepts, without zod's copy of the record: only a failure needs its messages. */
function stageFieldsValid(record: DealHistoryRecord): boolean {
  const { modified_stage_date_time: stageTime, closed_date_time: closed, stage_ext_id: stage } = record;
  return (
    isDateTimeText(stageTime) &&
    (closed === undefined || isDateTimeText(closed)) &&
    typeof stage === 'string' &&
    stage.length > 0
  );
}

/**
 * Whether a record repeats the deal part of one the full schema passed (the same values; arrays
 * the same objects, as mapping builds them): the schema then needs to see only its stage fields.
 * A full parse costs microseconds per record, which adds up on a 10,000-card board.
 */
function sameDealPart(record: DealHistoryRecord, checked: DealHistoryRecord): boolean {
  const own = record as Record<string, unknown>;
  const other = checked as Record<string, unknown>;
  let unmatched = 0;
  for (const key in own) {
    if (STAGE_FIELDS.has(key)) continue;
    if (own[key] !== other[key]) return false;
    unmatched++;
  }
  for (const key in other) if (!STAGE_FIELDS.has(key)) unmatched--;
  return unmatched === 0;
}

type DateField = 'created_date_time' | 'modified_date_time' | 'modified_stage_date_time' | 'closed_date_time';

/** Issues with the same code on the same field of several records are reported once, on the first. */
function collector() {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const fields = new Set<string>();
  return {
    issues,
    /** Whether any issue names this exact field (the schema's findings then add nothing). */
    reported: (field: string) => fields.has(field),
    add(found: Issue) {
      const key = `${found.code}|${found.field.replace(/^(\w+)\[\d+\]/, '$1[]')}`;
      fields.add(found.field);
      if (seen.has(key)) return;
      seen.add(key);
      issues.push(found);
    },
  };
}

type Collector = ReturnType<typeof collector>;

function checkName(out: Collector, field: string, name: string, what: { en: string; ru: string }) {
  if (name.trim() === '') {
    out.add(
      issue('error', 'name_empty', field, {
        en: `The ${what.en} has no name; CoMagic requires one. Fill it in the CRM.`,
        ru: `У объекта «${what.ru}» нет названия, а CoMagic его требует. Заполните его в CRM.`,
      }),
    );
  } else if (name.length > MAX_NAME_LENGTH) {
    out.add(
      issue('error', 'name_too_long', field, {
        en: `The ${what.en}'s name is ${name.length} characters long; at most ${MAX_NAME_LENGTH} are sent. Shorten it in the CRM.`,
        ru: `Название объекта «${what.ru}» длиной ${name.length} символов, а передаётся не больше ${MAX_NAME_LENGTH}. Сократите его в CRM.`,
      }),
    );
  }
}

function checkSchema(
  out: Collector,
  prefix: string,
  result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } },
) {
  for (const found of result.error?.issues ?? []) {
    const field = [prefix, ...found.path.map(String)].join('.');
    if (out.reported(field)) continue;
    out.add(
      issue('error', 'schema_invalid', field, {
        en: `${field} is not what CoMagic accepts: ${found.message}.`,
        ru: `${field} не подходит CoMagic: ${found.message}.`,
      }),
    );
  }
}

function checkFuture(out: Collector, at: string, key: DateField, value: string | undefined, now: string) {
  if (value === undefined || value <= now) return;
  out.add(
    issue('error', 'date_in_future', `${at}.${key}`, {
      en: `${key} ${value} is later than now (${now}); CoMagic rejects future dates. Check the date in the CRM and the account time zone in Options.`,
      ru: `${key} ${value} позже текущего времени (${now}); CoMagic не принимает будущие даты. Проверьте дату в CRM и часовой пояс аккаунта в Настройках.`,
    }),
  );
}

function checkDates(
  out: Collector,
  record: DealHistoryRecord,
  at: string,
  previous: DealHistoryRecord | undefined,
  now: string,
) {
  // Each field read by name: a loop over the names, reading `record[key]`, showed in profiles.
  checkFuture(out, at, 'created_date_time', record.created_date_time, now);
  checkFuture(out, at, 'modified_date_time', record.modified_date_time, now);
  checkFuture(out, at, 'modified_stage_date_time', record.modified_stage_date_time, now);
  checkFuture(out, at, 'closed_date_time', record.closed_date_time, now);
  // Fixed-width date-times compare correctly as strings.
  if (record.modified_stage_date_time < record.created_date_time) {
    out.add(
      issue('error', 'stage_before_created', `${at}.modified_stage_date_time`, {
        en: `The deal entered stage ${record.stage_ext_id} at ${record.modified_stage_date_time}, before it was created (${record.created_date_time}). Check the deal's dates in the CRM.`,
        ru: `Сделка попала на этап ${record.stage_ext_id} в ${record.modified_stage_date_time}, раньше своего создания (${record.created_date_time}). Проверьте даты сделки в CRM.`,
      }),
    );
  }
  if (record.closed_date_time !== undefined && record.closed_date_time < record.created_date_time) {
    out.add(
      issue('error', 'closed_before_created', `${at}.closed_date_time`, {
        en: `The deal is closed at ${record.closed_date_time}, before it was created (${record.created_date_time}). Fix the close date in the CRM.`,
        ru: `Сделка закрыта ${record.closed_date_time}, раньше своего создания (${record.created_date_time}). Исправьте дату закрытия в CRM.`,
      }),
    );
  }
  if (previous && record.modified_stage_date_time < previous.modified_stage_date_time) {
    out.add(
      issue('error', 'stage_time_decreasing', `${at}.modified_stage_date_time`, {
        en: `Stage ${record.stage_ext_id} is entered at ${record.modified_stage_date_time}, earlier than the stage before it (${previous.modified_stage_date_time}); CoMagic needs stage times in order. Check the deal's history in the CRM.`,
        ru: `Этап ${record.stage_ext_id} начат в ${record.modified_stage_date_time}, раньше предыдущего этапа (${previous.modified_stage_date_time}); CoMagic требует этапы по порядку. Проверьте историю сделки в CRM.`,
      }),
    );
  }
}

function checkLinks(
  out: Collector,
  record: DealHistoryRecord,
  at: string,
  payloads: DealPayloads,
  rules: ValidationRules,
  contactIds: ReadonlySet<string>,
) {
  if (record.sales_funnel_ext_id !== rules.funnelExtId || !rules.stageExtIds.has(record.stage_ext_id)) {
    out.add(
      issue('error', 'stage_not_in_funnel', `${at}.stage_ext_id`, {
        en: `Stage ${record.stage_ext_id} is not in funnel ${rules.funnelExtId}. Update the mapping in Options → Mapping.`,
        ru: `Этапа ${record.stage_ext_id} нет в воронке ${rules.funnelExtId}. Обновите сопоставление в Настройках → Сопоставление.`,
      }),
    );
  }
  const list = record.contact_ext_ids;
  const main = record.main_contact_ext_id;
  if ((list === undefined) !== (main === undefined) || (main !== undefined && !list?.includes(main))) {
    out.add(
      issue('error', 'contact_pair_invalid', `${at}.main_contact_ext_id`, {
        en: 'contact_ext_ids and main_contact_ext_id must be sent together, the main contact among the contacts.',
        ru: 'contact_ext_ids и main_contact_ext_id передаются вместе, а основной контакт должен быть в списке контактов.',
      }),
    );
  }
  for (const extId of list ?? []) {
    if (!contactIds.has(extId)) {
      out.add(
        issue('error', 'contact_missing', `${at}.contact_ext_ids`, {
          en: `Contact ${extId} is referenced but not among the deal's contacts to create.`,
          ru: `Контакт ${extId} указан в сделке, но его нет среди создаваемых контактов.`,
        }),
      );
    }
  }
  if (record.employee_ext_id !== undefined && record.employee_ext_id !== payloads.employee?.ext_id) {
    out.add(
      issue('error', 'employee_missing', `${at}.employee_ext_id`, {
        en: `Employee ${record.employee_ext_id} is referenced but not the deal's employee to create.`,
        ru: `Сотрудник ${record.employee_ext_id} указан в сделке, но не создаётся вместе с ней.`,
      }),
    );
  }
}

function checkContact(out: Collector, contact: DealContact, at: string) {
  checkName(out, `${at}.name`, contact.name, { en: 'contact', ru: 'контакт' });
  if (!contact.phone_numbers?.length && !contact.emails?.length) {
    out.add(
      issue('warning', 'contact_unreachable', at, {
        en: `Contact "${contact.name}" has no valid phone or e-mail, so CoMagic cannot match it to calls or requests. Add one in the CRM.`,
        ru: `У контакта «${contact.name}» нет корректного телефона или e-mail, поэтому CoMagic не свяжет его со звонками и заявками. Добавьте их в CRM.`,
      }),
    );
  }
  checkSchema(out, at, DealContactSchema.safeParse(contact));
}

export function validateDealPayloads(payloads: DealPayloads, rules: ValidationRules): Issue[] {
  const out = collector();
  const contactIds = new Set(payloads.contacts.map((contact) => contact.ext_id));
  let schemaChecked: DealHistoryRecord | null = null;
  payloads.records.forEach((record, index) => {
    const at = `records[${index}]`;
    checkName(out, `${at}.name`, record.name, { en: 'deal', ru: 'сделка' });
    checkDates(out, record, at, payloads.records[index - 1], rules.now);
    checkLinks(out, record, at, payloads, rules, contactIds);
    if (schemaChecked && sameDealPart(record, schemaChecked)) {
      if (!stageFieldsValid(record)) checkSchema(out, at, StageFields.safeParse(record));
    } else {
      const result = DealHistoryRecordSchema.safeParse(record);
      checkSchema(out, at, result);
      schemaChecked = result.success ? record : null;
    }
  });
  payloads.contacts.forEach((contact, index) => {
    checkContact(out, contact, `contacts[${index}]`);
  });
  if (payloads.employee) {
    checkName(out, 'employee.name', payloads.employee.name, { en: 'employee', ru: 'сотрудник' });
    checkSchema(out, 'employee', DealEmployeeSchema.safeParse(payloads.employee));
  }
  return out.issues;
}
