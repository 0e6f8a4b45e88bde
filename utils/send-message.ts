/**
 * The content scripts' side of the protocol (utils/messaging.ts): sending to the background, and
 * answering what the background asks. Types only from the protocol map, so zod stays out of the
 * scripts every CRM tab runs: the background's requests are checked here by hand.
 */
import { browser } from 'wxt/browser';
import type { CrmBoard } from './crm/model';
import type { Recipe } from './crm/recipe/schema';
import type {
  Answers,
  BadgeState,
  BoardBadges,
  Envelope,
  MessageType,
  Reply,
  TabAnswers,
  TabMessageType,
  TabRequest,
  TabRequests,
} from './messaging';

/** Sends one message of the protocol to the background and unwraps its answer. */
export async function sendMessage<T extends MessageType>(
  type: T,
  data: Envelope<T>['data'],
): Promise<Answers[T]> {
  const reply = await browser.runtime.sendMessage<Envelope<T>, Reply<T> | undefined>({ type, data });
  if (!reply) throw new Error('The extension did not answer. Reload the page and try again.');
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const BADGE_STATES: Record<BadgeState, true> = {
  new: true,
  changed: true,
  unchanged: true,
  problems: true,
  sent: true,
  failed: true,
};

const isBadges = (value: unknown): value is BoardBadges =>
  value === null ||
  (isFields(value) &&
    Object.values(value).every((state) => typeof state === 'string' && Object.hasOwn(BADGE_STATES, state)));

// A recipe and a board come from the background, which checked them with their zod schemas before
// asking: only their outline is checked here (the sender is the extension itself).
const isRecipe = (value: unknown): value is Recipe =>
  isFields(value) &&
  typeof value.id === 'string' &&
  Array.isArray(value.urlPatterns) &&
  isFields(value.detect);

const isBoard = (value: unknown): value is CrmBoard =>
  isFields(value) &&
  typeof value.url === 'string' &&
  Array.isArray(value.stages) &&
  Array.isArray(value.deals);

const isTexts = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * The background's request, checked: `null` for a message another extension sent, or one not of a
 * request's shape.
 */
export function tabRequestOf(message: unknown, sender: { id?: string }): TabRequest | null {
  if (sender.id !== browser.runtime.id || !isFields(message)) return null;
  const { type, known, states, crm, ids, concurrency, delayMs } = message;
  if (type === 'crm.scrape') return isRecipe(message.recipe) ? { type, recipe: message.recipe } : null;
  if (type === 'crm.read') return known === undefined || typeof known === 'string' ? { type, known } : null;
  if (type === 'crm.badges') return isBadges(states) ? { type, states } : null;
  if (type === 'crm.readDeals')
    return typeof crm === 'string' &&
      isTexts(ids) &&
      typeof concurrency === 'number' &&
      typeof delayMs === 'number'
      ? { type, crm, ids, concurrency, delayMs }
      : null;
  if (type === 'crm.cardIds') return isBoard(message.board) ? { type, board: message.board } : null;
  if (type === 'crm.configChanged') return { type };
  return null;
}

/** What a script answers for each request it takes: the answer's type is the protocol's. */
export type TabHandlers<K extends TabMessageType> = {
  [T in K]: (request: TabRequests[T]) => Promise<TabAnswers[T]>;
};

const takes = <K extends TabMessageType>(
  handlers: TabHandlers<K>,
  request: TabRequest,
): request is TabRequest & TabRequest<K> => Object.hasOwn(handlers, request.type);

function answer<K extends TabMessageType>(
  handlers: TabHandlers<K>,
  request: TabRequest<K>,
): Promise<TabAnswers[K]> {
  const type: K = request.type;
  return handlers[type](request);
}

/**
 * Answers the background's requests with `handlers`. Anything else gets no answer, so another script
 * of the tab (the content script beside the deal reads script) may answer it.
 */
export function answerBackground<K extends TabMessageType>(handlers: TabHandlers<K>): void {
  browser.runtime.onMessage.addListener((message: unknown, sender) => {
    const request = tabRequestOf(message, sender);
    return request && takes(handlers, request) ? answer(handlers, request) : undefined;
  });
}
