import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type Localized, localize } from '@/utils/i18n';
import type { DealPreview, RecordView, RepairView, TabPreview } from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';
import { ui } from '@/utils/ui-text';
import { ClampedText } from '../shared/ClampedText';
import { CopyButton } from '../shared/CopyButton';
import { formatMoney } from '../shared/format';
import { JobPanel } from '../shared/JobPanel';
import { ProblemList } from '../shared/ProblemList';
import { ErrorText } from '../shared/Status';
import { DEAL_STATUS_TEXT } from './deal-status';
import { DryRunToggle } from './SendControls';

type Props = Omit<Extract<TabPreview, { kind: 'deal' }>, 'kind'> & { tabId: number };

export function DealView({ tabId, adapterLabel, funnelName, preview, activeJob }: Props) {
  const [dryRun, setDryRun] = useState(false);
  const [jobId, setJobId] = useState<string | null>(activeJob?.id ?? null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const blocked = preview.problems.some((problem) => problem.severity === 'error');

  async function send() {
    setSending(true);
    setError(null);
    try {
      setJobId((await sendMessage('tab.send', { tabId, dryRun })).jobId);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setSending(false);
    }
  }

  return (
    <>
      <DealCard preview={preview} adapterLabel={adapterLabel} funnelName={funnelName} />
      <Timeline records={preview.records} />
      <Payloads payloads={preview.payloads} askFirst={preview.askFirst !== undefined} />
      {preview.problems.length > 0 && (
        <section aria-labelledby="problems-heading">
          <h3 id="problems-heading">{localize(ui.problemsHeading)}</h3>
          <ProblemList problems={preview.problems} />
        </section>
      )}
      <div class="send-bar">
        <DryRunToggle checked={dryRun} onChange={setDryRun} />
        <button
          type="button"
          data-testid="send-deal"
          disabled={blocked || sending}
          aria-describedby={blocked ? 'send-blocked' : undefined}
          onClick={send}
        >
          {localize(dryRun ? ui.checkDeal : ui.sendDeal)}
        </button>
        {blocked && (
          <p id="send-blocked" class="note">
            {localize(ui.sendBlocked)}
          </p>
        )}
        <ErrorText message={error} />
      </div>
      {preview.repair && (
        <Repair
          tabId={tabId}
          repair={preview.repair}
          disabled={blocked || sending}
          onStarted={setJobId}
          onError={setError}
        />
      )}
      {jobId && <JobPanel key={jobId} jobId={jobId} initial={activeJob} heading="h3" detailsLink />}
    </>
  );
}

/**
 * CoMagic holds a poorer history of the deal than its page shows: deleting it there and uploading it
 * again is the only fix, and cannot be undone, so it is offered and confirmed, never done by itself.
 */
function Repair({
  tabId,
  repair,
  disabled,
  onStarted,
  onError,
}: {
  tabId: number;
  repair: RepairView;
  disabled: boolean;
  onStarted: (jobId: string) => void;
  onError: (message: string | null) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [state, setState] = useState<'idle' | 'starting' | 'started'>('idle');
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // The safe answer has the focus: Enter on an opened dialog deletes nothing.
    if (confirming) cancel.current?.focus();
  }, [confirming]);

  async function confirm() {
    setConfirming(false);
    setState('starting');
    onError(null);
    try {
      onStarted((await sendMessage('deal.repair', { tabId })).jobId);
      setState('started');
    } catch (failure) {
      onError((failure as Error).message);
      setState('idle');
    }
  }

  if (state === 'started') return null;
  return (
    <section aria-labelledby="repair-heading">
      <h3 id="repair-heading">{localize(ui.repairDeal)}</h3>
      <p class="consequence" data-testid="deal-repair-note">
        {localize(ui.repairNote, { held: repair.held ?? '—', n: repair.missing })}
      </p>
      {confirming ? (
        <div
          class="card"
          role="alertdialog"
          aria-labelledby="repair-heading"
          aria-describedby="repair-warning"
          onKeyDown={(event) => {
            if (event.key === 'Escape') setConfirming(false);
          }}
        >
          <p id="repair-warning">{localize(ui.repairWarning)}</p>
          <div class="actions">
            <button
              type="button"
              ref={cancel}
              data-testid="deal-repair-cancel"
              onClick={() => setConfirming(false)}
            >
              {localize(ui.repairCancel)}
            </button>
            <button type="button" data-testid="deal-repair-confirm" onClick={confirm}>
              {localize(ui.repairConfirm)}
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          data-testid="deal-repair"
          disabled={disabled || state === 'starting'}
          onClick={() => setConfirming(true)}
        >
          {localize(ui.repairDeal)}
        </button>
      )}
    </section>
  );
}

function DealCard({
  preview,
  adapterLabel,
  funnelName,
}: {
  preview: DealPreview;
  adapterLabel: string;
  funnelName: string;
}) {
  const { deal } = preview;
  return (
    <section class="card" aria-labelledby="deal-name">
      <h2 id="deal-name">
        <ClampedText text={deal.name || localize(ui.unnamedDeal)} />
      </h2>
      <dl>
        <dt>{localize(ui.stage)}</dt>
        <dd class="wrap">{deal.stage?.name ?? '—'}</dd>
        <dt>{localize(ui.amount)}</dt>
        <dd>{formatMoney(deal.amount)}</dd>
        <dt>{localize(ui.owner)}</dt>
        <dd class="wrap">{deal.owner?.name ?? '—'}</dd>
        <dt>{localize(ui.funnel)}</dt>
        <dd class="wrap">{funnelName}</dd>
        <dt>{localize(ui.exportState)}</dt>
        <dd data-testid="deal-status" data-status={preview.status}>
          {localize(DEAL_STATUS_TEXT[preview.status])}
        </dd>
        <dt>{localize(ui.crm)}</dt>
        <dd class="wrap">{adapterLabel}</dd>
        {deal.company && (
          <>
            <dt>{localize(ui.dealCompany)}</dt>
            <dd class="wrap" data-testid="deal-company">
              <ClampedText text={deal.company.name} />
              {[...(deal.company.phones ?? []), ...(deal.company.emails ?? [])].map((value) => (
                <span key={value} class="wrap contact-value">
                  {value}
                </span>
              ))}
            </dd>
          </>
        )}
        {deal.source && (
          <>
            <dt>{localize(ui.dealSource)}</dt>
            <dd class="wrap" data-testid="deal-source">
              <ClampedText text={deal.source} />
            </dd>
          </>
        )}
        {deal.tags && deal.tags.length > 0 && (
          <>
            <dt>{localize(ui.dealTags)}</dt>
            <dd class="wrap" data-testid="deal-tags">
              {deal.tags.join(', ')}
            </dd>
          </>
        )}
        {deal.description && (
          <>
            <dt>{localize(ui.dealDescription)}</dt>
            <dd class="wrap" data-testid="deal-description">
              <ClampedText text={deal.description} />
            </dd>
          </>
        )}
      </dl>
      <h3>{localize(ui.contacts)}</h3>
      {deal.contacts.length === 0 ? (
        <p class="note">{localize(ui.noContacts)}</p>
      ) : (
        <ul class="contacts">
          {deal.contacts.map((contact, index) => (
            <li key={contact.id ?? index}>
              <ClampedText as="strong" text={contact.name} />
              {[...contact.phones, ...contact.emails].map((value) => (
                <span key={value} class="wrap contact-value">
                  {value}
                </span>
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Timeline({ records }: { records: RecordView[] }) {
  return (
    <section aria-labelledby="history-heading">
      <h3 id="history-heading">{localize(ui.historyHeading)}</h3>
      {records.length === 0 ? (
        <p class="note">{localize(ui.noHistory)}</p>
      ) : (
        <ol class="timeline" data-testid="deal-history">
          {records.map((record, index) => (
            <li key={`${record.enteredAt}-${index}`}>
              <span class="wrap">{record.stageName}</span>
              <time>{record.enteredAt}</time>
              {record.observed && <span class="tag">{localize(ui.visitObserved)}</span>}
              {record.estimated && <span class="tag">{localize(ui.visitEstimated)}</span>}
              {record.closed && <span class="tag">{localize(ui.visitClosed)}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

const ASK_FIRST: Localized = {
  en: 'Before sending, CoMagic is asked whether it already holds this deal (another browser may have sent it): only what it lacks is sent, which may be less than shown here.',
  ru: 'Перед отправкой CoMagic спросят, есть ли в нём уже эта сделка (её мог отправить другой браузер): отправится только то, чего там нет, — возможно, меньше, чем показано здесь.',
};

function Payloads({ payloads, askFirst }: { payloads: DealPreview['payloads']; askFirst: boolean }) {
  const texts = useMemo(
    () =>
      payloads.map((payload) => ({ method: payload.method, json: JSON.stringify(payload.params, null, 2) })),
    [payloads],
  );
  if (texts.length === 0) return null;
  return (
    <section aria-labelledby="payloads-heading">
      <h3 id="payloads-heading">{localize(ui.payloadsHeading)}</h3>
      {askFirst && (
        <p class="note" data-testid="ask-first">
          {localize(ASK_FIRST)}
        </p>
      )}
      {texts.map(({ method, json }, index) => (
        <details key={`${method}-${index}`} class="payload">
          <summary>{method}</summary>
          <CopyButton text={json} label={localize(ui.copyPayload, { method })} />
          <pre>{json}</pre>
        </details>
      ))}
    </section>
  );
}
