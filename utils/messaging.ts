/**
 * The one protocol map of the extension: every message the background accepts, its zod schema,
 * who may send it, and the type of its answer. The background parses every message with these
 * schemas and checks the sender before any handler runs.
 *
 * Content scripts import only the types (`import type`), so zod stays out of their bundle.
 */
import { z } from 'zod';
import { EndpointSchema } from './storage';

/** Who may send a message: extension pages (popup, options), or content scripts on granted CRM sites. */
export type SenderKind = 'page' | 'content';

/** What the options page sends: an empty secret keeps the stored one. */
export const AuthInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('key'), token: z.string().trim().nullable() }),
  z.object({
    kind: z.literal('login'),
    login: z.string().trim().min(1),
    password: z.string().nullable(),
    remember: z.boolean(),
  }),
]);

export const protocol = {
  'connection.get': { from: ['page'], schema: z.object({}) },
  'connection.save': {
    from: ['page'],
    schema: z.object({ endpoint: EndpointSchema, auth: AuthInputSchema }),
  },
  'connection.test': { from: ['page'], schema: z.object({}) },
} as const satisfies Record<string, { from: readonly SenderKind[]; schema: z.ZodType }>;

export type MessageType = keyof typeof protocol;
export type MessageData<T extends MessageType> = z.input<(typeof protocol)[T]['schema']>;

/** What the options page may know of the stored connection: never the secret itself. */
export interface ConnectionView {
  endpoint: z.infer<typeof EndpointSchema>;
  authKind: 'key' | 'login';
  login: string | null;
  /** e.g. `••••••3f9a`, so the user can tell which key is stored. */
  maskedToken: string | null;
  passwordRemembered: boolean;
}

export interface ConnectionTestResult {
  ok: boolean;
  account?: { name: string; timeZone: string };
  limits?: { dayRemaining: number; dayLimit: number; minuteRemaining: number; minuteLimit: number };
  /** A message for a person, in the UI language, saying what to do. */
  message: string;
  errorClass?: string;
}

export interface Answers {
  'connection.get': ConnectionView | null;
  'connection.save': { saved: true };
  'connection.test': ConnectionTestResult;
}

export interface Envelope<T extends MessageType = MessageType> {
  type: T;
  data: MessageData<T>;
}

/** Every answer travels as a value: a refused or failed message never rejects silently. */
export type Reply<T extends MessageType> = { ok: true; value: Answers[T] } | { ok: false; error: string };

export const EnvelopeSchema = z.object({
  type: z.enum(Object.keys(protocol) as [MessageType, ...MessageType[]]),
  data: z.unknown(),
});
