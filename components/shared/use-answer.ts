import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Answers, MessageData, MessageType } from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';

/** Messages that take no parameters: the lists and settings a page shows. */
export type ListMessage = {
  [T in MessageType]: Record<string, never> extends MessageData<T> ? T : never;
}[MessageType];

export interface Answer<T extends ListMessage> {
  /** `undefined` while loading. */
  value: Answers[T] | undefined;
  error: string | null;
  reload: () => Promise<void>;
}

/** Asks the background once on mount, and again on `reload()`. */
export function useAnswer<T extends ListMessage>(type: T): Answer<T> {
  const [value, setValue] = useState<Answers[T] | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setValue(await sendMessage(type, {} as MessageData<T>));
      setError(null);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, [type]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { value, error, reload };
}
