import type { Browser } from 'wxt/browser';
import type { z } from 'zod';
import { localize } from '../i18n';
import {
  type Answers,
  EnvelopeSchema,
  type MessageType,
  protocol,
  type Reply,
  type SenderKind,
} from '../messaging';

export interface Sender {
  kind: SenderKind;
  /** The CRM page's origin for a content script; the extension's origin for its pages. */
  origin: string;
  tabId: number | null;
}

export type Handlers = {
  [T in MessageType]: (data: z.output<(typeof protocol)[T]['schema']>, sender: Sender) => Promise<Answers[T]>;
};

export interface RouterContext {
  extensionId: string;
  /** `chrome-extension://<id>/` (or `moz-extension://<uuid>/`): where the extension's pages live. */
  extensionUrl: string;
  /** Whether the user granted this CRM origin (a content script elsewhere is refused). */
  isGrantedOrigin: (origin: string) => Promise<boolean>;
}

const refused = {
  en: 'Message refused: {reason}.',
  ru: 'Сообщение отклонено: {reason}.',
};

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Which kind of sender this is, or why it is refused. */
export async function classifySender(
  sender: Browser.runtime.MessageSender,
  context: RouterContext,
): Promise<Sender | string> {
  if (sender.id !== context.extensionId) return 'not from this extension';
  if (sender.url?.startsWith(context.extensionUrl)) {
    return { kind: 'page', origin: context.extensionUrl.replace(/\/$/, ''), tabId: sender.tab?.id ?? null };
  }
  const origin = originOf(sender.url);
  if (origin === null || origin === 'null') return 'unknown sender';
  if (!sender.tab?.id) return 'unknown sender';
  if (!(await context.isGrantedOrigin(origin))) return `the site ${origin} is not granted`;
  return { kind: 'content', origin, tabId: sender.tab.id };
}

/** A `runtime.onMessage` listener: validates the envelope and the sender, then runs the handler. */
export function createMessageListener(handlers: Handlers, context: RouterContext) {
  return async (message: unknown, rawSender: Browser.runtime.MessageSender): Promise<Reply<MessageType>> => {
    const envelope = EnvelopeSchema.safeParse(message);
    if (!envelope.success) return { ok: false, error: localize(refused, { reason: 'unknown message' }) };
    const type = envelope.data.type;
    const sender = await classifySender(rawSender, context);
    if (typeof sender === 'string') return { ok: false, error: localize(refused, { reason: sender }) };
    const rule = protocol[type];
    if (!(rule.from as readonly SenderKind[]).includes(sender.kind)) {
      return {
        ok: false,
        error: localize(refused, { reason: `${type} is not allowed from ${sender.kind}` }),
      };
    }
    const data = rule.schema.safeParse(envelope.data.data);
    if (!data.success) {
      const detail = data.error.issues.map((issue) => `${issue.path.join('.') || type}: ${issue.message}`);
      return { ok: false, error: localize(refused, { reason: detail.join('; ') }) };
    }
    try {
      const handler = handlers[type] as (data: unknown, sender: Sender) => Promise<Answers[MessageType]>;
      return { ok: true, value: await handler(data.data, sender) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  };
}
