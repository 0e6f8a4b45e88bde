import { browser } from 'wxt/browser';
import type { Answers, MessageData, MessageType, Reply } from './messaging';

/** Sends one message of the protocol to the background and unwraps its answer. */
export async function sendMessage<T extends MessageType>(type: T, data: MessageData<T>): Promise<Answers[T]> {
  const reply = (await browser.runtime.sendMessage({ type, data })) as Reply<T> | undefined;
  if (!reply) throw new Error('The extension did not answer. Reload the page and try again.');
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}
