/**
 * One CRM deal snapshot → what `upload.deals_history`, `create.deal_contacts` and
 * `create.deal_employees` receive, plus what the preview shows and the problems found.
 * Pure: "now" and the first-seen time come in through the context.
 */

import { apiTimeFormatter } from '../comagic/api-time';
import type {
  CrmCompanyCreate,
  DealContact,
  DealEmployee,
  DealHistoryRecord,
  DealUserFieldCreate,
} from '../comagic/schemas';
import type { CrmContact, CrmDeal, CrmStage, CrmUser, VisitSource } from '../crm/model';
import { normalizeEmails } from '../crm/parse/emails';
import { type CountryCode, normalizePhones } from '../crm/parse/phones';
import { isValidTimeZone } from '../crm/parse/time-zone';
import { crmHasNoColumnFor } from './crm-stages';
import {
  type CurrencySettings,
  mappedCompany,
  type RecordExtras,
  recordExtras,
  revenueIn,
  type UserFieldChoice,
  userFieldDefinition,
  userFieldExtId,
} from './deal-extras';
import { checkExtIdSettings, compileExtIds, type ExtIdSettings, type ExtIds, normalizeName } from './ext-ids';
import { checkConfig, type MappingConfig, type StageMapping } from './funnel';
import { cleanName } from './names';
import { forDeal, hasError, type Issue, issue, type MappingProblem } from './problems';
import { validateDealPayloads } from './validate';

export type StageTimeEstimate = 'modified' | 'created' | 'first_seen';

export interface MappingSettings extends ExtIdSettings {
  /** IANA zone of the CoMagic account (from `get.account`, overridable): API times are wall-clock there. */
  accountTimeZone: string;
  /** For phone numbers written without a country code. */
  defaultPhoneCountry: CountryCode;
  /** When a board card shows no history, the time its current stage is taken to start. */
  estimateStageTime: StageTimeEstimate;
  /**
   * A deal whose creation time the CRM did not show (and no history stands for) is sent with an
   * estimate; off, it is held back with `created_unknown` until it is sent from its page.
   */
  allowEstimatedCreation: boolean;
  /** CRM fields sent as CoMagic user fields (Options → Mapping); none when absent. */
  userFields?: readonly UserFieldChoice[];
  /** The account's report currency and the user's rates; absent: amounts are sent as they are. */
  currency?: CurrencySettings;
}

export const DEFAULT_MAPPING_SETTINGS: Omit<MappingSettings, 'accountTimeZone'> = {
  extIdTemplate: '{id}',
  prefix: '',
  defaultPhoneCountry: 'RU',
  estimateStageTime: 'modified',
  allowEstimatedCreation: false,
};

export interface MappingContext {
  /** The reference "now" (ISO instant). */
  now: string;
  /** When the extension first saw this deal (ISO instant); absent when this export is the first sighting. */
  firstSeenAt?: string | null;
}

export interface VisitPreview {
  recordIndex: number;
  source: VisitSource;
  /** The stage time is a guess (a board card's, or a day-precision history entry). */
  estimated: boolean;
  /** The stage time is when the extension saw the deal there, not a time the CRM gave. */
  observed: boolean;
}

export interface DealMapping {
  crmDealId: string | null;
  /** `null` when the deal has no CRM id (nothing is sent). */
  dealExtId: string | null;
  /** Oldest first, without access_token. */
  records: DealHistoryRecord[];
  contacts: DealContact[];
  employee: DealEmployee | null;
  /** The deal's company, made with `create.crm_company` before the records that name it. */
  company?: CrmCompanyCreate;
  /** The user fields the records fill, made with `create.deal_user_field` before them. */
  userFields?: DealUserFieldCreate[];
  visits: VisitPreview[];
  problems: MappingProblem[];
  /** No error problem: the payloads may be queued. */
  sendable: boolean;
  /**
   * Read from a board card whose history is only estimated or observed: a partial view (no
   * contacts, owner or timeline) that must not overwrite what a deal page sent. A deal page is never
   * partial, however little history it shows: it is the deal's full view.
   */
  partial: boolean;
}

/**
 * A board card's stage-time sources, best first per setting. Every list ends with the first
 * sighting, whose last resort is now: a deal never seen before is first seen by this export.
 */
const ESTIMATE_ORDER: Record<StageTimeEstimate, StageTimeEstimate[]> = {
  modified: ['modified', 'created', 'first_seen'],
  created: ['created', 'modified', 'first_seen'],
  first_seen: ['first_seen'],
};

/** Everything that does not depend on the deal, built once per export. */
export interface CompiledMapping {
  config: MappingConfig;
  settings: MappingSettings;
  extIds: ExtIds;
  stageById: ReadonlyMap<string, StageMapping>;
  /**
   * By normalised CRM stage name: a deal page may show only a stage's translated label where the
   * board gave its id (EspoCRM in Russian), so a visit whose id is unknown is matched by name.
   */
  stageByName: ReadonlyMap<string, StageMapping>;
  /** The funnel's won and lost stages, for a won or lost CRM stage the mapping does not list. */
  terminalStage: { won: StageMapping | undefined; lost: StageMapping | undefined };
  stageExtIds: ReadonlySet<string>;
  /** `null` when the time zone or now is unusable (nothing can be formatted). */
  nowApi: string | null;
  /** An instant (ms) as the API's date-time in the account's zone. */
  format: (ms: number) => string;
  nowMs: number;
  setupIssues: Issue[];
}

export function compileMapping(
  config: MappingConfig,
  settings: MappingSettings,
  now: string,
): CompiledMapping {
  const setupIssues = [...checkExtIdSettings(settings), ...checkConfig(config)];
  let nowApi: string | null = null;
  let format = (ms: number) => new Date(ms).toISOString();
  if (!isValidTimeZone(settings.accountTimeZone)) {
    setupIssues.push(
      issue('error', 'time_zone_invalid', 'settings.accountTimeZone', {
        en: `"${settings.accountTimeZone}" is not a time zone. Test the connection in Options to read the account's time zone, or choose one.`,
        ru: `«${settings.accountTimeZone}» — не часовой пояс. Проверьте подключение в Настройках, чтобы прочитать часовой пояс аккаунта, или выберите его.`,
      }),
    );
  } else {
    format = apiTimeFormatter(settings.accountTimeZone);
    const nowMs = Date.parse(now);
    nowApi = Number.isNaN(nowMs) ? null : format(nowMs);
    if (nowApi === null) setupIssues.push(dateInvalid('context.now', now));
  }
  const stageById = new Map<string, StageMapping>();
  const stageByName = new Map<string, StageMapping>();
  for (const stage of config.stages) {
    if (stage.crmStageId !== null) stageById.set(stage.crmStageId, stage);
    stageByName.set(normalizeName(stage.crmStageName), stage);
  }
  return {
    config,
    settings,
    extIds: compileExtIds(settings),
    stageById,
    stageByName,
    terminalStage: {
      won: config.stages.find((stage) => stage.status === 'success'),
      lost: config.stages.find((stage) => stage.status === 'failed'),
    },
    stageExtIds: new Set(config.stages.map((stage) => stage.extId)),
    nowApi,
    format,
    nowMs: Date.parse(now),
    setupIssues,
  };
}

function apiTime(instant: string, c: CompiledMapping): string | null {
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? null : c.format(ms);
}

function dateInvalid(field: string, value: string): Issue {
  return issue('error', 'date_invalid', field, {
    en: `"${value}" is not a date and time. Check this field on the CRM page.`,
    ru: `«${value}» — не дата и время. Проверьте это поле на странице CRM.`,
  });
}

interface Visit {
  stage: CrmStage;
  /** Milliseconds since the epoch. */
  at: number;
  source: VisitSource;
  estimated: boolean;
  observed: boolean;
}

const instantMs = (instant: string | null | undefined) => (instant ? Date.parse(instant) : Number.NaN);

/** The deal's visits oldest first; a card with no history gets one estimated visit. */
function visitsOf(
  deal: CrmDeal,
  firstSeenAt: string | null,
  settings: MappingSettings,
  now: number,
  issues: Issue[],
): Visit[] {
  if (deal.history.length > 0) {
    const visits: Visit[] = [];
    deal.history.forEach((visit, index) => {
      const at = instantMs(visit.enteredAt);
      if (Number.isNaN(at)) issues.push(dateInvalid(`history[${index}].enteredAt`, visit.enteredAt));
      else {
        visits.push({
          stage: visit.stage,
          at,
          source: visit.source,
          estimated: visit.estimated,
          observed: visit.source === 'observed',
        });
      }
    });
    const sorted = [...visits].sort((a, b) => a.at - b.at);
    if (sorted.some((visit, index) => visit !== visits[index])) {
      issues.push(
        issue('warning', 'history_reordered', 'history', {
          en: "The deal's history was not in time order; it is sent sorted by time. Check the stage history in the preview.",
          ru: 'История сделки была не по порядку времени; она отправляется отсортированной. Проверьте историю этапов в предпросмотре.',
        }),
      );
    }
    const last = sorted.at(-1);
    if (deal.stage && last && last.stage.id !== deal.stage.id) {
      issues.push(
        issue('warning', 'current_stage_not_in_history', 'deal.stage', {
          en: `The deal is now in "${deal.stage.name}" but its history ends in "${last.stage.name}"; CoMagic will show the last stage of the history. Open the deal's full history in the CRM and export again.`,
          ru: `Сделка сейчас на этапе «${deal.stage.name}», а история заканчивается этапом «${last.stage.name}»; CoMagic покажет последний этап истории. Откройте полную историю сделки в CRM и выгрузите снова.`,
        }),
      );
    }
    return sorted;
  }
  if (!deal.stage) {
    issues.push(
      issue('error', 'stage_missing', 'deal.stage', {
        en: 'The deal shows neither a stage nor a stage history, so there is nothing to send. Open the deal page and export from there.',
        ru: 'У сделки не видно ни этапа, ни истории этапов, поэтому отправлять нечего. Откройте страницу сделки и выгрузите оттуда.',
      }),
    );
    return [];
  }
  return [estimatedVisit(deal, deal.stage, firstSeenAt, settings.estimateStageTime, now, issues)];
}

function estimatedVisit(
  deal: CrmDeal,
  stage: CrmStage,
  firstSeenAt: string | null,
  preferred: StageTimeEstimate,
  now: number,
  issues: Issue[],
): Visit {
  // A closed deal entered its won or lost stage when it closed: better than any other estimate.
  const closedMs = instantMs(deal.closedAt);
  if (!Number.isNaN(closedMs) && stage.outcome !== 'in_progress') {
    return { stage, at: closedMs, source: 'board', estimated: true, observed: false };
  }
  const times: Record<StageTimeEstimate, number> = {
    modified: instantMs(deal.modifiedAt),
    created: instantMs(deal.createdAt),
    first_seen: firstSeenAt === null ? now : instantMs(firstSeenAt),
  };
  const used = ESTIMATE_ORDER[preferred].find((source) => !Number.isNaN(times[source])) ?? 'first_seen';
  if (used !== preferred) {
    issues.push(
      issue('warning', 'stage_time_fallback', 'deal.stage', {
        en: `The card shows no ${LABELS[preferred].en}, so the time the deal entered "${stage.name}" is estimated from its ${LABELS[used].en}.`,
        ru: `Неизвестно время ${LABELS[preferred].ru}, поэтому время перехода на этап «${stage.name}» оценено по времени ${LABELS[used].ru}.`,
      }),
    );
  }
  const at = Number.isNaN(times[used]) ? now : times[used];
  return { stage, at, source: 'board', estimated: true, observed: used === 'first_seen' };
}

const LABELS: Record<StageTimeEstimate, { en: string; ru: string }> = {
  modified: { en: 'last-modified time', ru: 'последнего изменения' },
  created: { en: 'creation time', ru: 'создания' },
  first_seen: { en: 'first-seen time', ru: 'первого появления в выгрузке' },
};

function mappedContacts(contacts: CrmContact[], c: CompiledMapping, issues: Issue[]): DealContact[] {
  const byExtId = new Map<string, DealContact>();
  contacts.forEach((contact, index) => {
    const at = `contacts[${index}]`;
    const { phones, rejected } = normalizePhones(contact.phones, c.settings.defaultPhoneCountry);
    const emails = normalizeEmails(contact.emails);
    const written = contact.emails.filter((raw) => raw.trim() !== '');
    // Each entry gives one e-mail at most, so as many e-mails as entries means none was bad.
    const badEmails =
      emails.length === written.length ? [] : written.filter((raw) => normalizeEmails([raw]).length === 0);
    for (const [field, bad] of [
      ['phone_numbers', rejected],
      ['emails', badEmails],
    ] as const) {
      if (bad.length === 0) continue;
      issues.push(
        issue('warning', `${field}_rejected`, `${at}.${field}`, {
          en: `Contact "${contact.name}": ${bad.join(', ')} is not valid and is left out. Fix it in the CRM.`,
          ru: `Контакт «${contact.name}»: ${bad.join(', ')} — некорректное значение, оно не передаётся. Исправьте его в CRM.`,
        }),
      );
    }
    const cleaned = nameOf(contact.name, `${at}.name`, issues);
    const name = cleaned || phones[0] || emails[0] || '';
    if (name === '') {
      issues.push(
        issue('warning', 'contact_dropped', at, {
          en: 'A contact without a name, phone or e-mail is left out.',
          ru: 'Контакт без имени, телефона и e-mail не передаётся.',
        }),
      );
      return;
    }
    const extId = contact.id
      ? c.extIds.fromCrmId(contact.id)
      : c.extIds.derived([name, ...[...phones].sort(), ...[...emails].sort()]);
    if (byExtId.has(extId)) return;
    const created = contact.createdAt ? apiTime(contact.createdAt, c) : null;
    byExtId.set(extId, {
      ext_id: extId,
      name,
      ...(created ? { created_date_time: created } : {}),
      ...(phones.length > 0 ? { phone_numbers: phones } : {}),
      ...(emails.length > 0 ? { emails } : {}),
    });
  });
  return [...byExtId.values()];
}

function mappedEmployee(owner: CrmUser | null, c: CompiledMapping, issues: Issue[]): DealEmployee | null {
  if (!owner) return null;
  const name = nameOf(owner.name, 'employee.name', issues);
  if (owner.id) return { ext_id: c.extIds.fromCrmId(owner.id), name: name || owner.id };
  return name ? { ext_id: c.extIds.derived([name]), name } : null;
}

/** The cleaned name; a name cut to the cap is a warning, not a failure. */
function nameOf(raw: string, field: string, issues: Issue[]): string {
  const { name, truncated } = cleanName(raw);
  if (truncated) {
    issues.push(
      issue('warning', 'name_truncated', field, {
        en: `The name is ${raw.length} characters long and is cut to ${name.length}: "${name.slice(0, 40)}…". Shorten it in the CRM.`,
        ru: `Название длиной ${raw.length} символов обрезано до ${name.length}: «${name.slice(0, 40)}…». Сократите его в CRM.`,
      }),
    );
  }
  return name;
}

function unmappedIssue(stage: CrmStage, index: number, config: MappingConfig): Issue {
  return issue('error', 'stage_unmapped', `history[${index}].stage`, {
    en: `Stage "${stage.name}" (${stage.id}) is not in the mapping of pipeline "${config.pipelineName}". Add it in Options → Mapping.`,
    ru: `Этапа «${stage.name}» (${stage.id}) нет в сопоставлении воронки «${config.pipelineName}». Добавьте его в Настройках → Сопоставление.`,
  });
}

/** What every record of one deal repeats. */
interface DealPart {
  ext_id: string;
  name: string;
  created_date_time: string;
  modified_date_time: string | undefined;
  sales_funnel_ext_id: string;
  /** The first is the main contact. */
  contact_ext_ids: string[] | undefined;
  employee_ext_id: string | undefined;
  revenue: number | undefined;
  extras: RecordExtras;
}

/**
 * Optional fields are added only when present, one by one: spreading the shared part into every
 * record made a 10,000-card board several times slower (measured), in building and in validating.
 */
function historyRecord(
  part: DealPart,
  stageExtId: string,
  stageTime: string,
  closed: string | undefined,
  modified: string | undefined,
) {
  const record: DealHistoryRecord = {
    ext_id: part.ext_id,
    name: part.name,
    created_date_time: part.created_date_time,
    modified_stage_date_time: stageTime,
    sales_funnel_ext_id: part.sales_funnel_ext_id,
    stage_ext_id: stageExtId,
  };
  if (modified !== undefined) record.modified_date_time = modified;
  if (closed !== undefined) record.closed_date_time = closed;
  if (part.contact_ext_ids?.[0] !== undefined) {
    record.contact_ext_ids = part.contact_ext_ids;
    record.main_contact_ext_id = part.contact_ext_ids[0];
  }
  if (part.employee_ext_id !== undefined) record.employee_ext_id = part.employee_ext_id;
  if (part.revenue !== undefined) record.revenue = part.revenue;
  const { extras } = part;
  if (extras.company_ext_id !== undefined) record.company_ext_id = extras.company_ext_id;
  if (extras.source !== undefined) record.source = extras.source;
  if (extras.comments !== undefined) record.comments = extras.comments;
  if (extras.tags !== undefined) record.tags = extras.tags;
  if (extras.user_fields !== undefined) record.user_fields = extras.user_fields;
  return record;
}

/**
 * Each record's modification time is its own change, the stage it entered: a record of the history
 * changed then, not when the deal last did. The newest record carries the deal's own last change,
 * when the CRM shows one no earlier than its stage time.
 */
function recordModified(part: DealPart, stageTime: string, newest: boolean): string {
  const current = part.modified_date_time;
  return newest && current !== undefined && current > stageTime ? current : stageTime;
}

function finish(
  mapping: Omit<DealMapping, 'problems' | 'sendable' | 'partial'>,
  issues: Issue[],
  fromBoard: boolean,
): DealMapping {
  const { crmDealId, dealExtId, records, contacts, employee, visits, company, userFields } = mapping;
  const problems = forDeal(issues, dealExtId, crmDealId);
  // Written out field by field: spreading the mapping here showed in profiles of large boards.
  return {
    crmDealId,
    dealExtId,
    records,
    contacts,
    employee,
    ...(company ? { company } : {}),
    ...(userFields && userFields.length > 0 ? { userFields } : {}),
    visits,
    problems,
    sendable: !hasError(problems) && records.length > 0,
    partial: fromBoard && visits.length > 0 && visits.every(isFromBoard),
  };
}

const isFromBoard = (visit: VisitPreview) => visit.source === 'board' || visit.source === 'observed';

/**
 * Maps one deal with a compiled mapping; `mapBoard` compiles once for all its cards. `fromBoard`:
 * the deal is a board card (see `DealMapping.partial`), not a deal page.
 */
export function mapCompiled(
  deal: CrmDeal,
  c: CompiledMapping,
  firstSeenAt: string | null,
  fromBoard: boolean,
): DealMapping {
  const issues = [...c.setupIssues];
  const empty = {
    crmDealId: deal.id,
    dealExtId: null,
    records: [],
    contacts: [],
    employee: null,
    visits: [],
  };
  if (!deal.id) {
    issues.push(
      issue('error', 'deal_without_id', 'deal.id', {
        en: `The CRM shows no id for deal "${cleanName(deal.name).name}", so it cannot be tracked in CoMagic. Open the deal's own page and export from there.`,
        ru: `CRM не показывает id сделки «${cleanName(deal.name).name}», поэтому её нельзя отслеживать в CoMagic. Откройте страницу сделки и выгрузите оттуда.`,
      }),
    );
    return finish(empty, issues, fromBoard);
  }
  const dealExtId = c.extIds.fromCrmId(deal.id);
  if (c.nowApi === null) return finish({ ...empty, dealExtId }, issues, fromBoard);
  if (deal.pipeline && deal.pipeline.id !== c.config.pipelineId) {
    issues.push(
      issue('error', 'pipeline_mismatch', 'deal.pipeline', {
        en: `The deal is in pipeline "${deal.pipeline.name}", but the mapping is for "${c.config.pipelineName}". Map that pipeline in Options → Mapping.`,
        ru: `Сделка в воронке «${deal.pipeline.name}», а сопоставление — для «${c.config.pipelineName}». Сопоставьте эту воронку в Настройках → Сопоставление.`,
      }),
    );
    return finish({ ...empty, dealExtId }, issues, fromBoard);
  }
  const format = c.format;
  const name = nameOf(deal.name, 'deal.name', issues);
  const visits = visitsOf(deal, firstSeenAt, c.settings, c.nowMs, issues);
  const first = visits[0];
  if (!first) return finish({ ...empty, dealExtId }, issues, fromBoard);

  const createdMs = creationTime(deal, first, c, issues);
  for (const visit of visits) {
    if (visit.source === 'created') visit.at = createdMs;
    else if (visit.at < createdMs && visit.estimated) {
      visit.at = createdMs;
      issues.push(
        issue('warning', 'stage_time_clamped', 'history', {
          en: `The estimated time the deal entered "${visit.stage.name}" is before its creation, so the creation time is used.`,
          ru: `Оценочное время перехода на этап «${visit.stage.name}» раньше создания сделки, поэтому взято время создания.`,
        }),
      );
    }
  }

  const contacts = mappedContacts(deal.contacts, c, issues);
  const employee = mappedEmployee(deal.owner, c, issues);
  const company = mappedCompany(deal.company, c.extIds, c.settings.defaultPhoneCountry, issues);
  const choices = c.settings.userFields ?? [];
  const extras = recordExtras(deal, company, choices, c.extIds, issues);
  const sent = new Set(extras.user_fields?.map((field) => field.ext_id));
  const userFields = choices
    .filter((choice) => sent.has(userFieldExtId(choice.crmField)))
    .map(userFieldDefinition);
  const part: DealPart = {
    ext_id: dealExtId,
    name,
    created_date_time: format(createdMs),
    modified_date_time: optionalTime(deal.modifiedAt, 'deal.modifiedAt', c, issues),
    sales_funnel_ext_id: c.config.funnel.extId,
    contact_ext_ids: contacts.length > 0 ? contacts.map((contact) => contact.ext_id) : undefined,
    employee_ext_id: employee?.ext_id,
    revenue: revenueOf(deal, c.settings.currency, issues),
    extras,
  };
  const closed = optionalTime(deal.closedAt, 'deal.closedAt', c, issues);
  const records: DealHistoryRecord[] = [];
  const previews: VisitPreview[] = [];
  visits.forEach((visit, index) => {
    const { id, name, outcome } = visit.stage;
    const stage =
      c.stageById.get(id) ??
      c.stageByName.get(normalizeName(name)) ??
      (outcome === 'won' || outcome === 'lost' ? c.terminalStage[outcome] : undefined);
    if (!stage) {
      issues.push(unmappedIssue(visit.stage, index, c.config));
      return;
    }
    if (records.at(-1)?.stage_ext_id === stage.extId) return;
    const stageTime = format(visit.at);
    const isLast = index === visits.length - 1;
    const closedAt = stage.status === 'in_process' ? undefined : (isLast && closed) || stageTime;
    records.push(
      historyRecord(part, stage.extId, stageTime, closedAt, recordModified(part, stageTime, isLast)),
    );
    previews.push({
      recordIndex: records.length - 1,
      source: visit.source,
      estimated: visit.estimated,
      observed: visit.observed,
    });
  });
  archivedLost(visits.at(-1), part, closed, c, records, previews);
  issues.push(
    ...validateDealPayloads(
      { records, contacts, employee },
      { funnelExtId: c.config.funnel.extId, stageExtIds: c.stageExtIds, now: c.nowApi },
    ),
  );
  return finish(
    {
      crmDealId: deal.id,
      dealExtId,
      records,
      contacts,
      employee,
      company: company ?? undefined,
      userFields,
      visits: previews,
    },
    issues,
    fromBoard,
  );
}

/**
 * The deal's creation time: the CRM's, else its history's first stage. Never silently the time of an
 * export: a board's estimate (modified, closed, first seen) stands for it only when the settings
 * allow; otherwise it is an error, since CoMagic ties calls only up to 30 days before creation.
 */
function creationTime(deal: CrmDeal, first: Visit, c: CompiledMapping, issues: Issue[]): number {
  const createdMs = instantMs(deal.createdAt);
  if (!Number.isNaN(createdMs)) return createdMs;
  if (deal.createdAt) issues.push(dateInvalid('deal.createdAt', deal.createdAt));
  if (first.source === 'timeline' || first.source === 'created') {
    issues.push(
      issue('warning', 'created_from_history', 'deal.createdAt', {
        en: "The deal's creation time is not shown, so the time of its first stage in the history stands for it.",
        ru: 'Время создания сделки не видно, поэтому вместо него взято время её первого этапа в истории.',
      }),
    );
  } else if (c.settings.allowEstimatedCreation) {
    const estimate = c.format(first.at);
    issues.push(
      issue('warning', 'created_unknown', 'deal.createdAt', {
        en: `The CRM did not show when this deal was created, so it is sent as created at ${estimate} (an estimate); CoMagic ties calls only up to 30 days before creation. Send it from its page for the real time.`,
        ru: `CRM не показала, когда создана эта сделка, поэтому она передаётся как созданная ${estimate} (оценка); CoMagic связывает звонки только за 30 дней до создания сделки и позже. Отправьте её со страницы сделки, чтобы передать настоящее время.`,
      }),
    );
  } else {
    issues.push(
      issue('error', 'created_unknown', 'deal.createdAt', {
        en: 'The CRM did not show when this deal was created; CoMagic ties calls only up to 30 days before creation. Send it from its page, or send anyway with the time estimated.',
        ru: 'CRM не показала, когда создана эта сделка; CoMagic связывает звонки только за 30 дней до создания сделки и позже. Отправьте её со страницы сделки или всё равно отправьте с оценочным временем.',
      }),
    );
  }
  return first.at;
}

/**
 * Odoo has no lost column: a lost lead is archived in the stage it was in, which the page marks
 * lost. It is sent on into the funnel's lost stage, when it closed (else when it was last changed,
 * else at once: an estimate).
 */
function archivedLost(
  last: Visit | undefined,
  part: DealPart,
  closed: string | undefined,
  c: CompiledMapping,
  records: DealHistoryRecord[],
  previews: VisitPreview[],
) {
  const lost = c.terminalStage.lost;
  const previous = records.at(-1);
  const archived = last?.stage.outcome === 'lost' && crmHasNoColumnFor(c.config.crm, 'failed');
  if (!archived || !last || !lost || !previous || previous.stage_ext_id === lost.extId) return;
  const from = previous.modified_stage_date_time;
  const exact = closed !== undefined && closed >= from ? closed : undefined;
  const modified = part.modified_date_time;
  const at = exact ?? (modified !== undefined && modified >= from ? modified : from);
  records.push(historyRecord(part, lost.extId, at, at, recordModified(part, at, true)));
  previews.push({
    recordIndex: records.length - 1,
    source: last.source,
    estimated: exact === undefined,
    observed: false,
  });
}

function optionalTime(instant: string | null, field: string, c: CompiledMapping, issues: Issue[]) {
  if (!instant) return undefined;
  const formatted = apiTime(instant, c);
  if (formatted === null) issues.push(dateInvalid(field, instant));
  return formatted ?? undefined;
}

function revenueOf(
  deal: CrmDeal,
  currency: CurrencySettings | undefined,
  issues: Issue[],
): number | undefined {
  if (!deal.amount || !Number.isFinite(deal.amount.amount)) return undefined;
  if (deal.amount.rounded) {
    issues.push(
      issue('warning', 'revenue_rounded', 'deal.amount', {
        en: `The amount ${deal.amount.amount} is a rounded figure from the board; open the deal page for the exact amount.`,
        ru: `Сумма ${deal.amount.amount} — округлённое значение с доски; точная сумма видна на странице сделки.`,
      }),
    );
  }
  if (!currency) return deal.amount.amount;
  return revenueIn(deal.amount.amount, deal.amount.currency, currency, issues) ?? undefined;
}

/** One deal read from its page → its payloads, preview and problems. */
export function mapDeal(
  deal: CrmDeal,
  config: MappingConfig,
  settings: MappingSettings,
  context: MappingContext,
): DealMapping {
  return mapCompiled(deal, compileMapping(config, settings, context.now), context.firstSeenAt ?? null, false);
}
