import { useMemo, useState } from 'preact/hooks';
import { type Localized, localize } from '@/utils/i18n';
import type { DealRow, DealStatus, StageCount, TabPreview } from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';
import { ui } from '@/utils/ui-text';
import { ClampedText, shortened } from '../shared/ClampedText';
import { JobPanel } from '../shared/JobPanel';
import { ProblemList } from '../shared/ProblemList';
import { ErrorText } from '../shared/Status';
import { VirtualList } from '../shared/VirtualList';
import {
  type BoardFilter,
  countByStatus,
  DEAL_STATUSES,
  filterRows,
  isFiltering,
  NO_FILTER,
} from './board-filter';
import { DEAL_STATUS_TEXT } from './deal-status';
import { DryRunToggle } from './SendControls';

const ASK_FIRST: Localized = {
  en: 'Before sending, CoMagic is asked what it already holds of {deals} deals this browser has not checked with it today (another browser may have sent them): {reads} read, one more for those it lacks. Only what CoMagic lacks is sent.',
  ru: 'Перед отправкой CoMagic спросят, что в нём уже есть из сделок, которые этот браузер сегодня с ним не сверял ({deals}; их мог отправить другой браузер): запросов {reads} и ещё один для тех, которых там нет. Отправится только то, чего в CoMagic нет.',
};

const ROW_HEIGHT = 48;
const LIST_HEIGHT = 288;

type Props = Omit<Extract<TabPreview, { kind: 'board' }>, 'kind'> & { tabId: number };

export function BoardView(props: Props) {
  const { tabId, rows, activeJob } = props;
  const [filter, setFilter] = useState<BoardFilter>(NO_FILTER);
  const [dryRun, setDryRun] = useState(false);
  const [jobId, setJobId] = useState<string | null>(activeJob?.id ?? null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = useMemo(() => filterRows(rows, filter), [rows, filter]);
  const counts = useMemo(() => countByStatus(rows), [rows]);

  async function exportBoard() {
    setSending(true);
    setError(null);
    try {
      const dealKeys = isFiltering(filter) ? shown.map((row) => row.key) : undefined;
      setJobId((await sendMessage('tab.send', { tabId, dryRun, dealKeys })).jobId);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setSending(false);
    }
  }

  return (
    <>
      <h2>
        <ClampedText text={props.pipelineName} />
      </h2>
      <p class="note wrap">
        {localize(ui.boardSummary, { crm: props.adapterLabel, funnel: props.funnelName })}
      </p>
      <StageCounts stages={props.stages} />
      <ProblemList problems={props.problems} title={localize(ui.problemsHeading)} />
      <section aria-labelledby="deals-heading">
        <h3 id="deals-heading">{localize(ui.dealsHeading)}</h3>
        <Filters stages={props.stages} counts={counts} filter={filter} onChange={setFilter} />
        <p role="status" class="note">
          {localize(ui.showingDeals, { shown: shown.length, total: rows.length })}
        </p>
        {shown.length > 0 && (
          <VirtualList
            items={shown}
            rowKey={rowKey}
            renderRow={dealRow}
            rowProps={dealRowProps}
            label={localize(ui.dealListLabel)}
            rowHeight={ROW_HEIGHT}
            height={LIST_HEIGHT}
            testId="deal-list"
          />
        )}
      </section>
      <div class="send-bar">
        <DryRunToggle checked={dryRun} onChange={setDryRun} />
        <button
          type="button"
          data-testid="export-board"
          disabled={sending || shown.length === 0}
          aria-describedby="export-scope"
          onClick={exportBoard}
        >
          {localize(dryRun ? ui.checkBoard : ui.exportBoard)}
        </button>
        <p id="export-scope" class="note">
          {isFiltering(filter)
            ? localize(ui.exportFiltered, { n: shown.length })
            : localize(ui.exportAll, { n: rows.length })}
        </p>
        {props.askFirst && (
          <p class="note" data-testid="ask-first">
            {localize(ASK_FIRST, { ...props.askFirst })}
          </p>
        )}
        <ErrorText message={error} />
      </div>
      {jobId && <JobPanel key={jobId} jobId={jobId} initial={activeJob} heading="h3" detailsLink />}
    </>
  );
}

function StageCounts({ stages }: { stages: StageCount[] }) {
  return (
    <section aria-labelledby="stages-heading">
      <h3 id="stages-heading">{localize(ui.stagesHeading)}</h3>
      <ul class="stages" data-testid="stage-counts">
        {stages.map((stage) => (
          <li key={stage.id} data-stage-id={stage.id}>
            <ClampedText text={stage.name} />
            <span class="count">{stage.count}</span>
            {stage.incomplete && <small class="note">{localize(ui.stageIncomplete)}</small>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Filters({
  stages,
  counts,
  filter,
  onChange,
}: {
  stages: StageCount[];
  counts: Record<DealStatus, number>;
  filter: BoardFilter;
  onChange: (filter: BoardFilter) => void;
}) {
  return (
    <div class="filters">
      <label>
        {localize(ui.filterStage)}
        <select
          data-testid="filter-stage"
          value={filter.stageId ?? ''}
          onChange={(event) => onChange({ ...filter, stageId: event.currentTarget.value || null })}
        >
          <option value="">{localize(ui.allStages)}</option>
          {stages.map((stage) => (
            <option key={stage.id} value={stage.id}>
              {stage.name.slice(0, 80)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {localize(ui.filterStatus)}
        <select
          data-testid="filter-status"
          value={filter.status ?? ''}
          onChange={(event) =>
            onChange({ ...filter, status: (event.currentTarget.value || null) as DealStatus | null })
          }
        >
          <option value="">{localize(ui.allStatuses)}</option>
          {DEAL_STATUSES.map((status) => (
            <option key={status} value={status}>
              {localize(DEAL_STATUS_TEXT[status])} ({counts[status]})
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

const rowKey = (row: DealRow) => row.key;
const dealRowProps = (row: DealRow) => ({
  'data-testid': 'deal-row',
  'data-deal-id': row.dealId ?? '',
  'data-status': row.status,
});

function dealRow(row: DealRow) {
  const problems = row.problems.join(' ');
  return (
    <>
      <span class="row-title" title={row.name}>
        {shortened(row.name)}
      </span>
      <span class="row-meta" title={problems || undefined}>
        <span class={`tag ${row.status}`}>{localize(DEAL_STATUS_TEXT[row.status])}</span> {row.stageName}
        {row.amount && ` · ${row.amount}`}
        {problems && ` · ${shortened(problems)}`}
      </span>
    </>
  );
}
