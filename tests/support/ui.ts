/** Typed answers of the background for the component tests, and a stand-in for `sendMessage`. */
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CrmDeal } from '@/utils/crm/model';
import type { MappingConfig } from '@/utils/mapping/funnel';
import type {
  Answers,
  DealPreview,
  DealResultView,
  DealRow,
  JobView,
  MappingView,
  MessageData,
  MessageType,
  StageCount,
  TabPreview,
} from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';

/** A clean fake browser speaking `language` (the fake has no UI language of its own). */
export function resetBrowser(language = 'en-US') {
  fakeBrowser.reset();
  vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue(language);
}

/** Answers `tabs.query` with these tabs (the fake cannot make a tab active in a focused window). */
export function stubTabs(tabs: { id: number; title?: string; url?: string }[]) {
  return vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue(
    tabs.map((tab, index) => ({
      index,
      highlighted: false,
      active: index === 0,
      pinned: false,
      incognito: false,
      windowId: 1,
      ...tab,
    })),
  );
}

type Handler<T extends MessageType> =
  | Answers[T]
  | ((data: MessageData<T>) => Answers[T] | Promise<Answers[T]>);
export type Handlers = { [T in MessageType]?: Handler<T> };

/**
 * Makes the mocked `sendMessage` answer from `handlers`: a value, or a function of the message's
 * data (throw in it to make the message fail). A message without a handler fails the test.
 * Needs `vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }))` in the test file.
 */
export function answer(handlers: Handlers) {
  const mocked = vi.mocked(sendMessage);
  mocked.mockClear();
  mocked.mockImplementation((async (type: MessageType, data: unknown) => {
    const handler = handlers[type] as unknown;
    if (handler === undefined) throw new Error(`No answer for ${type} in this test`);
    return typeof handler === 'function' ? (handler as (data: unknown) => unknown)(data) : handler;
  }) as typeof sendMessage);
  return mocked;
}

/** The data of every `type` message sent so far. */
export function sent<T extends MessageType>(type: T): MessageData<T>[] {
  return vi
    .mocked(sendMessage)
    .mock.calls.filter(([sentType]) => sentType === type)
    .map(([, data]) => data as MessageData<T>);
}

export function crmDeal(overrides: Partial<CrmDeal> = {}): CrmDeal {
  return {
    crm: 'espocrm',
    id: 'd-1',
    url: 'https://crm.example.com/#Opportunity/view/d-1',
    name: 'Supply of 40 laptops',
    pipeline: { id: 'default', name: 'Sales' },
    stage: { id: 'proposal', name: 'Proposal', outcome: null },
    amount: { amount: 125000, currency: 'RUB', rounded: false },
    createdAt: '2026-03-01T09:00:00+03:00',
    modifiedAt: '2026-03-05T12:00:00+03:00',
    closedAt: null,
    owner: { id: 'u-1', name: 'Anna Smirnova' },
    contacts: [
      {
        id: 'c-1',
        name: 'Ivan Petrov',
        phones: ['+7 900 123-45-67'],
        emails: ['ivan@example.com'],
        createdAt: null,
      },
    ],
    history: [],
    ...overrides,
  };
}

export function dealPreview(overrides: Partial<DealPreview> = {}): DealPreview {
  return {
    key: 'https://crm.example.com|d-1',
    deal: crmDeal(),
    dealExtId: 'd-1',
    status: 'new',
    records: [
      {
        stageName: 'Prospecting',
        enteredAt: '2026-03-01 09:00:00',
        source: 'created',
        estimated: false,
        observed: false,
        closed: false,
      },
      {
        stageName: 'Proposal',
        enteredAt: '2026-03-04 15:20:00',
        source: 'observed',
        estimated: true,
        observed: true,
        closed: false,
      },
    ],
    payloads: [
      { method: 'upload.deals_history', params: { deals: [{ ext_id: 'd-1', stages: ['proposal'] }] } },
    ],
    problems: [],
    ...overrides,
  };
}

export function dealTab(preview = dealPreview(), activeJob: JobView | null = null): TabPreview {
  return { kind: 'deal', adapterLabel: 'EspoCRM', preview, funnelName: 'Sales', activeJob };
}

export function stageCount(id: string, count: number, incomplete = false): StageCount {
  return { id, name: `Stage ${id}`, count, incomplete };
}

const STATUSES = ['new', 'changed', 'unchanged', 'problems'] as const;

/** `count` cards spread over stages s0…s3 and the four statuses in turn. */
export function dealRows(count: number): DealRow[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `key-${index}`,
    dealId: `deal-${index}`,
    name: `Deal number ${index}`,
    stageId: `s${index % 4}`,
    stageName: `Stage s${index % 4}`,
    amount: `${index * 10} ₽`,
    status: STATUSES[index % 4] ?? 'new',
    problems: index % 4 === 3 ? ['No phone'] : [],
  }));
}

export function boardTab(
  rows = dealRows(8),
  activeJob: JobView | null = null,
): Extract<TabPreview, { kind: 'board' }> {
  const stages = ['s0', 's1', 's2', 's3'].map((id, index) =>
    stageCount(id, rows.filter((row) => row.stageId === id).length, index === 3),
  );
  return {
    kind: 'board',
    adapterLabel: 'EspoCRM',
    pipelineName: 'Sales',
    funnelName: 'Sales',
    stages,
    rows,
    problems: [],
    activeJob,
  };
}

export function dealResult(overrides: Partial<DealResultView> = {}): DealResultView {
  return {
    key: 'key-0',
    dealExtId: 'deal-0',
    name: 'Deal number 0',
    outcome: 'sent',
    reason: null,
    ...overrides,
  };
}

export function jobView(overrides: Partial<JobView> = {}): JobView {
  return {
    id: 'job-1',
    kind: 'board',
    label: 'Sales board, 40 deals',
    status: 'running',
    dryRun: false,
    createdAt: '2026-03-05T10:00:00.000Z',
    updatedAt: '2026-03-05T10:00:05.000Z',
    message: null,
    resumeAt: null,
    progress: { done: 12, total: 40, failed: 1, skipped: 0, sent: 11 },
    reading: null,
    etaSeconds: 90,
    results: [],
    contactless: 0,
    ...overrides,
  };
}

export function mappingConfig(overrides: Partial<MappingConfig> = {}): MappingConfig {
  return {
    version: 1,
    crm: 'espocrm',
    site: 'https://crm.example.com',
    pipelineId: 'default',
    pipelineName: 'Sales',
    funnel: { extId: 'default', name: 'Sales' },
    stages: [
      {
        crmStageId: 'prospecting',
        crmStageName: 'Prospecting',
        extId: 'default:prospecting',
        name: 'Prospecting',
        status: 'in_process',
        order: 10,
        userEdited: false,
      },
      {
        crmStageId: 'won',
        crmStageName: 'Closed Won',
        extId: 'default:won',
        name: 'Closed Won',
        status: 'success',
        order: null,
        userEdited: false,
      },
      {
        crmStageId: null,
        crmStageName: '',
        extId: 'default:lost',
        name: 'Lost',
        status: 'failed',
        order: null,
        userEdited: false,
      },
    ],
    ...overrides,
  };
}

export function mappingView(overrides: Partial<MappingView> = {}): MappingView {
  return { key: 'https://crm.example.com|default', config: mappingConfig(), problems: [], ...overrides };
}
