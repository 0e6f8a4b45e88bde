import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { localize } from '@/utils/i18n';
import type { ConnectionView } from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';
import { ui } from '@/utils/ui-text';

export function Popup() {
  const [connection, setConnection] = useState<ConnectionView | null | undefined>(undefined);

  useEffect(() => {
    sendMessage('connection.get', {}).then(setConnection, () => setConnection(null));
  }, []);

  return (
    <>
      <h1>{localize(ui.popupTitle)}</h1>
      {connection === null && (
        <div data-testid="popup-page-kind" data-kind="not-configured">
          <p>{localize(ui.notConfigured)}</p>
          <button type="button" onClick={() => browser.runtime.openOptionsPage()}>
            {localize(ui.openOptions)}
          </button>
        </div>
      )}
    </>
  );
}
