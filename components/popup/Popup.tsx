import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { localize } from '@/utils/i18n';
import type { TabPreview } from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';
import { ui } from '@/utils/ui-text';
import { ProblemList } from '../shared/ProblemList';
import { ErrorText } from '../shared/Status';
import { BoardView } from './BoardView';
import { DealView } from './DealView';
import { targetTabId } from './target-tab';

export type PopupState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; tabId: number | null; preview: TabPreview };

/** Asks the background what the tab shows; never rejects (a failure is an error state). */
export async function readTab(search: string): Promise<PopupState> {
  try {
    const tabId = await targetTabId(search);
    if (tabId === null) {
      return { kind: 'ready', tabId, preview: { kind: 'no-tab', reason: localize(ui.noActiveTab) } };
    }
    return { kind: 'ready', tabId, preview: await sendMessage('tab.preview', { tabId }) };
  } catch (failure) {
    return { kind: 'error', message: (failure as Error).message };
  }
}

/**
 * What the current tab is and what can be sent from it; every answer comes from the background.
 * `reading` is the question already asked (main.tsx asks before the first render, so the answer is
 * not kept waiting for Preact's first frame).
 */
export function Popup({
  search = location.search,
  reading,
}: {
  search?: string;
  reading?: Promise<PopupState>;
}) {
  const [state, setState] = useState<PopupState>({ kind: 'loading' });
  const [asked, setAsked] = useState(() => reading ?? readTab(search));
  useEffect(() => {
    let current = true;
    void asked.then((answer) => current && setState(answer));
    return () => {
      current = false;
    };
  }, [asked]);
  const load = () => setAsked(readTab(search));

  return (
    <>
      <h1>{localize(ui.popupTitle)}</h1>
      {state.kind === 'loading' && (
        <p role="status" class="note">
          {localize(ui.readingPage)}
        </p>
      )}
      {state.kind === 'error' && (
        <div>
          <ErrorText message={state.message} />
          <button type="button" onClick={load}>
            {localize(ui.tryAgain)}
          </button>
        </div>
      )}
      {state.kind === 'ready' && <PageKind tabId={state.tabId} preview={state.preview} reload={load} />}
    </>
  );
}

function PageKind({
  tabId,
  preview,
  reload,
}: {
  tabId: number | null;
  preview: TabPreview;
  reload: () => void;
}) {
  return (
    <div data-testid="popup-page-kind" data-kind={preview.kind}>
      <p class="kind-banner" role="status">
        {localize(KIND_TEXT[preview.kind])}
      </p>
      <KindBody tabId={tabId} preview={preview} reload={reload} />
    </div>
  );
}

const KIND_TEXT: Record<TabPreview['kind'], (typeof ui)[keyof typeof ui]> = {
  'not-configured': ui.kindNotConfigured,
  'no-tab': ui.kindNoTab,
  'no-access': ui.kindNoAccess,
  'not-crm': ui.kindNotCrm,
  unreadable: ui.kindUnreadable,
  deal: ui.kindDeal,
  board: ui.kindBoard,
};

function KindBody({
  tabId,
  preview,
  reload,
}: {
  tabId: number | null;
  preview: TabPreview;
  reload: () => void;
}) {
  switch (preview.kind) {
    case 'not-configured':
      return (
        <>
          <p>{localize(ui.notConfigured)}</p>
          <button type="button" data-testid="open-options" onClick={() => browser.runtime.openOptionsPage()}>
            {localize(ui.openOptions)}
          </button>
        </>
      );
    case 'no-tab':
      return <p class="wrap">{preview.reason}</p>;
    case 'no-access':
      return <AccessRequest origin={preview.origin} onGranted={reload} />;
    case 'not-crm':
      return <Reasons reasons={preview.reasons} />;
    case 'unreadable':
      return (
        <>
          {preview.adapterLabel && <p>{localize(ui.readBy, { crm: preview.adapterLabel })}</p>}
          <Reasons reasons={preview.reasons} />
          <ProblemList problems={preview.problems} title={localize(ui.problemsHeading)} />
        </>
      );
    case 'deal':
      return tabId === null ? null : <DealView tabId={tabId} {...preview} />;
    case 'board':
      return tabId === null ? null : <BoardView tabId={tabId} {...preview} />;
  }
}

function Reasons({ reasons }: { reasons: string[] }) {
  if (reasons.length === 0) return null;
  return (
    <ul class="reasons">
      {reasons.map((reason, index) => (
        <li key={`${index}-${reason}`} class="wrap">
          {reason}
        </li>
      ))}
    </ul>
  );
}

function AccessRequest({ origin, onGranted }: { origin: string; onGranted: () => void }) {
  const [refused, setRefused] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function requestAccess() {
    // The permission prompt needs the click's user gesture: ask before anything is awaited.
    browser.permissions.request({ origins: [`${origin}/*`] }).then(
      (granted) => {
        setRefused(!granted);
        if (granted) onGranted();
      },
      (failure: Error) => setError(failure.message),
    );
  }

  return (
    <>
      <p class="wrap">{localize(ui.noAccessExplained, { origin })}</p>
      <button type="button" data-testid="grant-access" onClick={requestAccess}>
        {localize(ui.grantAccess, { origin })}
      </button>
      {refused && (
        <p role="alert" class="error wrap">
          {localize(ui.accessDeclined, { origin })}
        </p>
      )}
      <ErrorText message={error} />
    </>
  );
}
