/**
 * Zod schemas of the Data API methods we use. Params are strict (the API answers
 * `unexpected_parameters` to any extra key) and never include `access_token`: the client adds it.
 * Results are loose (extra fields pass) but checked for the fields we read.
 */
import { z } from 'zod';

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** The number written by the ASCII digits of `text` from `start` to `end`. */
function digitsAt(text: string, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index++) value = value * 10 + text.charCodeAt(index) - 48;
  return value;
}

/** As `Date.UTC` counts: years 0–99 are 1900–1999. */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  const y = year < 100 ? year + 1900 : year;
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
}

/**
 * `YYYY-MM-DD hh:mm:ss` naming a real calendar moment (no 2026-02-30, no 24:00:00). Reads the
 * digits in place: it runs for every date of every record, and a Date per call showed in profiles.
 */
export function isDateTime(value: string): boolean {
  if (!DATE_TIME.test(value)) return false;
  const month = digitsAt(value, 5, 7);
  const day = digitsAt(value, 8, 10);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(digitsAt(value, 0, 4), month) &&
    digitsAt(value, 11, 13) < 24 &&
    digitsAt(value, 14, 16) < 60 &&
    digitsAt(value, 17, 19) < 60
  );
}

export const DateTime = z.string().refine(isDateTime, 'expected a date-time as YYYY-MM-DD hh:mm:ss');

const ExtId = z.string().min(1);
const Name = z.string().min(1);

/**
 * The docs give no length for any string; the emulator refuses text longer than this and blank text
 * (its `STRING_CAPS`), so a record the client lets through is one the emulator takes.
 */
export const MAX_TEXT_LENGTH = 255;
const Text = z
  .string()
  .max(MAX_TEXT_LENGTH)
  .refine((text) => text.trim() !== '', 'must not be blank');

/** E.164: a country code (never 0) and at most 15 digits; the docs' examples write no `+`, E.164 allows one. */
export const PHONE_E164 = /^\+?[1-9]\d{6,14}$/;
const Phones = z.array(z.string().regex(PHONE_E164, 'expected a phone number in E.164'));
const UniqueEmails = z
  .array(z.string().min(3))
  .refine((emails) => new Set(emails).size === emails.length, 'e-mails must be unique');

/** Items whose `ext_id` repeats within one list name the same thing twice. */
function uniqueExtIds<T extends { ext_id: string }>(items: T[]): boolean {
  return new Set(items.map((item) => item.ext_id)).size === items.length;
}
/** Needed only when a partner acts for a client. */
const userId = { user_id: z.number().int().optional() };
const ByExtId = z.strictObject({ ext_id: ExtId, ...userId });

export const Empty = z.looseObject({});
export const CreatedExtId = z.looseObject({ ext_id: z.string() });

// Filters, sorting and paging shared by every get.* method.

export const FILTER_OPERATORS = [
  '=',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  'like',
  'ilike',
  'not_like',
  'not_ilike',
  'regexp',
  'jsquery',
  'in',
  'not_in',
  'overlap',
  'not_overlap',
  'is_null',
  'is_not_null',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

type FilterScalar = string | number | boolean | null;
export type FilterValue = FilterScalar | FilterScalar[];

export interface SimpleFilter<F extends string = string> {
  field: F;
  operator: FilterOperator;
  value?: FilterValue;
}

export interface TreeFilter<F extends string = string> {
  filters: Filter<F>[];
  condition: 'and' | 'or';
}

export type Filter<F extends string = string> = SimpleFilter<F> | TreeFilter<F>;

const FilterScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

function filterSchema<F extends string>(fields: readonly [F, ...F[]]): z.ZodType<Filter<F>, Filter<F>> {
  const simple = z.strictObject({
    field: z.enum(fields),
    operator: z.enum(FILTER_OPERATORS),
    value: z.union([FilterScalarSchema, z.array(FilterScalarSchema)]).optional(),
  }) as z.ZodType<SimpleFilter<F>, SimpleFilter<F>>;
  const filter: z.ZodType<Filter<F>, Filter<F>> = z.union([
    simple,
    z.strictObject({
      filters: z.array(z.lazy(() => filter)).min(1),
      condition: z.enum(['and', 'or']),
    }),
  ]);
  return filter;
}

export const MAX_LIMIT = 10_000;
export const MAX_OFFSET = 100_000;

function listParams<Row extends z.ZodObject, F extends string, S extends string>(
  row: Row,
  filterable: readonly [F, ...F[]],
  sortable: readonly [S, ...S[]],
) {
  return z.strictObject({
    limit: z.number().int().min(1).max(MAX_LIMIT).optional(),
    offset: z.number().int().min(0).max(MAX_OFFSET).optional(),
    filter: filterSchema(filterable).optional(),
    sort: z
      .array(z.strictObject({ field: z.enum(sortable), order: z.enum(['asc', 'desc']).optional() }))
      .optional(),
    fields: z.array(row.keyof()).min(1).optional(),
    ...userId,
  });
}

export const Limits = z.looseObject({
  day_limit: z.number(),
  day_remaining: z.number(),
  day_reset: z.number(),
  minute_limit: z.number(),
  minute_remaining: z.number(),
  minute_reset: z.number(),
});
export type Limits = z.infer<typeof Limits>;

// Authentication and account.

export const LoginUserParams = z.strictObject({ login: z.string().min(1), password: z.string().min(1) });
export type LoginUserParams = z.infer<typeof LoginUserParams>;

/** The docs name the expiry `expire_at` in one place and `expire` in another: read either. */
export const LoginUserResult = z.looseObject({
  access_token: z.string().min(1),
  expire_at: z.number().optional(),
  expire: z.number().optional(),
  app_id: z.number().optional(),
});
export type LoginUserResult = z.infer<typeof LoginUserResult>;

export const NoParams = z.strictObject({});
export const CrmNoParams = z.strictObject({ ...userId });

export const Account = z.looseObject({ app_id: z.number(), name: z.string(), timezone: z.string() });
export type Account = z.infer<typeof Account>;

/**
 * getobj.account, for client and partner («Агент») accounts alike (get.account is for clients only);
 * its page names the component «Data API для настройки» as needed. The fields the extension reads.
 */
export const AccountObject = z.looseObject({
  app_id: z.number(),
  app_name: z.string(),
  timezone: z.string(),
  /** The currency the account's reports use, e.g. "RUB". */
  report_currency: z.string(),
  /** The components enabled for the account (`sales_funnel` for the CRM deal methods). */
  components: z.array(z.string()),
  user_id: z.number().optional(),
  is_agent: z.boolean().optional(),
});
export type AccountObject = z.infer<typeof AccountObject>;

// Funnels and stages.

const TerminalStage = z.strictObject({ ext_id: ExtId, name: Name });
const StageOrder = z.number().int().min(0).max(10_000);

export const InProcessStage = z.strictObject({ ext_id: ExtId, name: Name, order: StageOrder });
export type InProcessStage = z.infer<typeof InProcessStage>;

export const SalesFunnelCreate = z.strictObject({
  ext_id: ExtId,
  name: Name,
  stages: z.strictObject({
    success: TerminalStage,
    failed: TerminalStage,
    in_process: z.array(InProcessStage).min(1).max(100),
  }),
  ...userId,
});
export type SalesFunnelCreate = z.infer<typeof SalesFunnelCreate>;

export const SalesFunnelUpdate = z.strictObject({ ext_id: ExtId, name: Name, ...userId });
export type SalesFunnelUpdate = z.infer<typeof SalesFunnelUpdate>;

export const SalesFunnelRow = z.looseObject({
  ext_id: z.string(),
  name: z.string(),
  stages: z.array(
    z.looseObject({
      stage_ext_id: z.string(),
      stage_name: z.string(),
      stage_status: z.enum(['in_process', 'success', 'failed']),
      stage_order: z.number(),
    }),
  ),
});
export type SalesFunnelRow = z.infer<typeof SalesFunnelRow>;

export const SalesFunnelStageCreate = z.strictObject({
  sales_funnel_ext_id: ExtId,
  ext_id: ExtId,
  name: Name,
  order: StageOrder,
  ...userId,
});
export type SalesFunnelStageCreate = z.infer<typeof SalesFunnelStageCreate>;

export const SalesFunnelStageUpdate = z.strictObject({
  sales_funnel_ext_id: ExtId,
  ext_id: ExtId,
  name: Name.optional(),
  order: StageOrder.optional(),
  ...userId,
});
export type SalesFunnelStageUpdate = z.infer<typeof SalesFunnelStageUpdate>;

export const SalesFunnelStageDelete = z.strictObject({
  sales_funnel_ext_id: ExtId,
  ext_id: ExtId,
  ...userId,
});
export type SalesFunnelStageDelete = z.infer<typeof SalesFunnelStageDelete>;

// Contacts and employees.

const contactFields = {
  name: Name,
  /** When the contact was created in the CRM; CoMagic puts the call time when it is left out. */
  created_date_time: DateTime.optional(),
  phone_numbers: Phones.optional(),
  emails: UniqueEmails.optional(),
};

export const DealContact = z.strictObject({ ext_id: ExtId, ...contactFields });
export type DealContact = z.infer<typeof DealContact>;

export const DealContactsCreate = z.strictObject({
  contacts: z.array(DealContact).min(1).max(1000),
  ...userId,
});
export type DealContactsCreate = z.infer<typeof DealContactsCreate>;

/** Arrays given here replace the stored ones. */
export const DealContactUpdate = z.strictObject({
  ext_id: ExtId,
  ...contactFields,
  name: Name.optional(),
  ...userId,
});
export type DealContactUpdate = z.infer<typeof DealContactUpdate>;

export const DealContactRow = z.looseObject({
  ext_id: z.string(),
  name: z.string(),
  created_date_time: z.string().nullable(),
  phone_numbers: z.array(z.string()).nullable(),
  emails: z.array(z.string()).nullable(),
  component: z.string().nullable(),
});
export type DealContactRow = z.infer<typeof DealContactRow>;

export const DealEmployee = z.strictObject({ ext_id: ExtId, name: Name, ...userId });
export type DealEmployee = z.infer<typeof DealEmployee>;

export const DealEmployeeUpdate = z.strictObject({ ext_id: ExtId, name: Name.optional(), ...userId });
export type DealEmployeeUpdate = z.infer<typeof DealEmployeeUpdate>;

export const DealEmployeeRow = z.looseObject({ ext_id: z.string(), name: z.string() });
export type DealEmployeeRow = z.infer<typeof DealEmployeeRow>;

// Companies: what a deal's `company_ext_id` names.

/** The docs' limit on a company's contacts. */
export const MAX_COMPANY_CONTACTS = 1000;

const companyFields = {
  name: Name,
  phones: Phones.optional(),
  emails: UniqueEmails.optional(),
  /** Contacts made with create.deal_contacts. */
  contact_ext_ids: z.array(ExtId).max(MAX_COMPANY_CONTACTS).optional(),
  description: Text.optional(),
};

export const CrmCompanyCreate = z.strictObject({ ext_id: ExtId, ...companyFields, ...userId });
export type CrmCompanyCreate = z.infer<typeof CrmCompanyCreate>;

/**
 * The method's table (followed here) names `phones` and makes `name` required; its JSON skeleton says
 * `phone_numbers` and adds `created_date_time`, which the table does not list. Arrays replace the stored ones.
 */
export const CrmCompanyUpdate = z.strictObject({
  ext_id: ExtId,
  ...companyFields,
  is_removed: z.boolean().optional(),
  ...userId,
});
export type CrmCompanyUpdate = z.infer<typeof CrmCompanyUpdate>;

/** The page's answer skeleton leaves out `component`; its table leaves `description` and `is_removed` out of the default answer. */
export const CrmCompanyRow = z.looseObject({
  ext_id: z.string(),
  name: z.string(),
  phones: z.array(z.string()).nullable(),
  emails: z.array(z.string()).nullable(),
  contact_ext_ids: z.array(z.string()).nullable(),
  component: z.string().nullable().optional(),
  contact_ids: z.array(z.number()).nullable().optional(),
  description: z.string().nullable().optional(),
  is_removed: z.boolean().nullable().optional(),
});
export type CrmCompanyRow = z.infer<typeof CrmCompanyRow>;

// Deal user fields.

export const USER_FIELD_DATA_TYPES = ['numeric', 'string'] as const;

export const DealUserFieldCreate = z.strictObject({
  ext_id: ExtId,
  name: Name,
  data_type: z.enum(USER_FIELD_DATA_TYPES),
  ...userId,
});
export type DealUserFieldCreate = z.infer<typeof DealUserFieldCreate>;

/** Only the name changes; the data type is fixed at creation. */
export const DealUserFieldUpdate = z.strictObject({ ext_id: ExtId, name: Name, ...userId });
export type DealUserFieldUpdate = z.infer<typeof DealUserFieldUpdate>;

export const DealUserFieldRow = z.looseObject({
  ext_id: z.string(),
  name: z.string(),
  data_type: z.enum(USER_FIELD_DATA_TYPES),
});
export type DealUserFieldRow = z.infer<typeof DealUserFieldRow>;

const DealUserFieldValue = z.strictObject({ ext_id: ExtId, value: Text });

// Deals.

export const COMMUNICATION_TYPES = ['chat', 'offline_message', 'call', 'goal', 'email'] as const;

/** One stage-history record of a deal; the pair and ordering rules are the API's own. */
export const DealHistoryRecord = z
  .strictObject({
    ext_id: ExtId,
    name: Name,
    created_date_time: DateTime,
    modified_date_time: DateTime.optional(),
    modified_stage_date_time: DateTime,
    closed_date_time: DateTime.optional(),
    sales_funnel_ext_id: ExtId,
    stage_ext_id: ExtId,
    contact_ext_ids: z.array(ExtId).min(1).optional(),
    main_contact_ext_id: ExtId.optional(),
    employee_ext_id: ExtId.optional(),
    lead_ext_id: ExtId.optional(),
    company_ext_id: ExtId.optional(),
    revenue: z.number().finite().optional(),
    comments: Text.optional(),
    source: Text.optional(),
    communication_id: z.number().int().optional(),
    communication_type: z.enum(COMMUNICATION_TYPES).optional(),
    /** Each field made first with create.deal_user_field; the value is a string even for a numeric field. */
    user_fields: z
      .array(DealUserFieldValue)
      .refine(uniqueExtIds, 'a user field is given once per record')
      .optional(),
    tags: z
      .array(z.strictObject({ ext_id: ExtId, name: Text }))
      .refine(uniqueExtIds, 'a tag is given once per record')
      .optional(),
    child_customer_id: z.number().int().optional(),
  })
  .superRefine((record, context) => {
    const issue = (field: string, message: string) =>
      context.addIssue({ code: 'custom', path: [field], message });
    // Fixed-width date-times compare correctly as strings.
    if (record.modified_stage_date_time < record.created_date_time) {
      issue('modified_stage_date_time', 'must not be earlier than created_date_time');
    }
    if (record.closed_date_time !== undefined && record.closed_date_time < record.created_date_time) {
      issue('closed_date_time', 'must not be earlier than created_date_time');
    }
    if ((record.contact_ext_ids === undefined) !== (record.main_contact_ext_id === undefined)) {
      issue('main_contact_ext_id', 'contact_ext_ids and main_contact_ext_id go together');
    } else if (record.main_contact_ext_id && !record.contact_ext_ids?.includes(record.main_contact_ext_id)) {
      issue('main_contact_ext_id', 'must be one of contact_ext_ids');
    }
    if ((record.communication_id === undefined) !== (record.communication_type === undefined)) {
      issue('communication_type', 'communication_id and communication_type go together');
    }
  });
export type DealHistoryRecord = z.infer<typeof DealHistoryRecord>;

export const DealsHistoryUpload = z.strictObject({
  deals: z.array(DealHistoryRecord).min(1).max(1000),
  ...userId,
});
export type DealsHistoryUpload = z.infer<typeof DealsHistoryUpload>;

export const DealHistoryRow = z.looseObject({
  ext_id: z.string(),
  name: z.string(),
  created_date_time: z.string(),
  modified_stage_date_time: z.string(),
  closed_date_time: z.string().nullable(),
  sales_funnel_ext_id: z.string(),
  stage_ext_id: z.string(),
  main_contact_ext_id: z.string().nullable(),
  contact_ext_ids: z.array(z.string()).nullable(),
  employee_ext_id: z.string().nullable(),
  tag_ext_ids: z.array(z.string()).nullable(),
  revenue: z.number().nullable(),
  source: z.string().nullable(),
  comments: z.string().nullable(),
  communication_id: z.number().nullable(),
  communication_type: z.string().nullable(),
  is_generated: z.boolean(),
});
export type DealHistoryRow = z.infer<typeof DealHistoryRow>;

export const DealsInProcessing = z.looseObject({ count: z.number() });

// The method registry: params and result `data` of every method the client calls.

/** Methods answering with one object (or, for get.account, a fixed array). */
export const METHODS = {
  'login.user': { params: LoginUserParams, data: LoginUserResult },
  'logout.user': { params: NoParams, data: Empty },
  'get.account': { params: NoParams, data: z.array(Account) },
  'getobj.account': { params: CrmNoParams, data: AccountObject },
  'create.sales_funnel': { params: SalesFunnelCreate, data: CreatedExtId },
  'update.sales_funnel': { params: SalesFunnelUpdate, data: Empty },
  'delete.sales_funnel': { params: ByExtId, data: Empty },
  'create.sales_funnel_stages': { params: SalesFunnelStageCreate, data: CreatedExtId },
  'update.sales_funnel_stages': { params: SalesFunnelStageUpdate, data: Empty },
  'delete.sales_funnel_stages': { params: SalesFunnelStageDelete, data: Empty },
  'create.deal_contacts': { params: DealContactsCreate, data: Empty },
  'update.deal_contacts': { params: DealContactUpdate, data: Empty },
  'delete.deal_contacts': { params: ByExtId, data: Empty },
  'create.deal_employees': { params: DealEmployee, data: CreatedExtId },
  'update.deal_employees': { params: DealEmployeeUpdate, data: Empty },
  'delete.deal_employees': { params: ByExtId, data: Empty },
  'upload.deals_history': { params: DealsHistoryUpload, data: Empty },
  'get.deals_in_processing': { params: CrmNoParams, data: DealsInProcessing },
  'delete.deals': { params: ByExtId, data: Empty },
  /** Answers `data: {}`, not the ext_id (unlike the other create methods). */
  'create.crm_company': { params: CrmCompanyCreate, data: Empty },
  'update.crm_company': { params: CrmCompanyUpdate, data: Empty },
  'delete.crm_company': { params: ByExtId, data: Empty },
  'create.deal_user_field': { params: DealUserFieldCreate, data: CreatedExtId },
  'update.deal_user_field': { params: DealUserFieldUpdate, data: Empty },
  'delete.deal_user_field': { params: ByExtId, data: Empty },
} as const;

/** Paged list methods: `data` is an array of rows, `metadata.total_items` the total. */
export const LIST_METHODS = {
  'get.sales_funnel': {
    params: listParams(SalesFunnelRow, ['ext_id', 'name'], ['ext_id', 'name']),
    row: SalesFunnelRow,
  },
  'get.deal_contacts': {
    params: listParams(
      DealContactRow,
      ['ext_id', 'name', 'phone_numbers', 'emails', 'component'],
      ['ext_id', 'name', 'component'],
    ),
    row: DealContactRow,
  },
  'get.deal_employees': {
    params: listParams(DealEmployeeRow, ['ext_id', 'name'], ['ext_id', 'name']),
    row: DealEmployeeRow,
  },
  'get.deals_history': {
    params: listParams(
      DealHistoryRow,
      [
        'ext_id',
        'created_date_time',
        'closed_date_time',
        'modified_stage_date_time',
        'main_contact_ext_id',
        'revenue',
        'sales_funnel_ext_id',
        'stage_ext_id',
        'source',
        'communication_id',
        'communication_type',
        'name',
        'contact_ext_ids',
        'tag_ext_ids',
        'employee_ext_id',
        'is_generated',
      ],
      [
        'ext_id',
        'created_date_time',
        'closed_date_time',
        'modified_stage_date_time',
        'main_contact_ext_id',
        'revenue',
        'sales_funnel_ext_id',
        'stage_ext_id',
        'source',
        'communication_id',
        'communication_type',
      ],
    ),
    row: DealHistoryRow,
  },
  'get.crm_companies': {
    params: listParams(
      CrmCompanyRow,
      [
        'ext_id',
        'name',
        'component',
        'phones',
        'emails',
        'contact_ext_ids',
        'contact_ids',
        'description',
        'is_removed',
      ],
      ['ext_id', 'name', 'component', 'phones', 'emails', 'contact_ext_ids', 'contact_ids'],
    ),
    row: CrmCompanyRow,
  },
  'get.deal_user_fields': {
    params: listParams(DealUserFieldRow, ['ext_id', 'name', 'data_type'], ['ext_id', 'name', 'data_type']),
    row: DealUserFieldRow,
  },
} as const;

export type Method = keyof typeof METHODS;
export type ParamsOf<M extends Method> = z.input<(typeof METHODS)[M]['params']>;
export type DataOf<M extends Method> = z.output<(typeof METHODS)[M]['data']>;

export type ListMethod = keyof typeof LIST_METHODS;
export type ListParamsOf<M extends ListMethod> = z.input<(typeof LIST_METHODS)[M]['params']>;
export type RowOf<M extends ListMethod> = z.output<(typeof LIST_METHODS)[M]['row']>;
/** The row's declared fields (rows are loose, so `keyof RowOf` would be any string). */
export type RowField<M extends ListMethod> = keyof (typeof LIST_METHODS)[M]['row']['shape'] & string;
