import { useState } from 'preact/hooks';
import { type Localized, localize } from '@/utils/i18n';
import {
  confirmSyntheticStage,
  isProposed,
  type MappingConfig,
  overrideStage,
  STAGE_STATUSES,
  type StageMapping,
  type StagePatch,
  type StageStatus,
} from '@/utils/mapping/funnel';
import type { MappingView } from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';
import { ui } from '@/utils/ui-text';
import { shortened } from '../shared/ClampedText';
import { ProblemList } from '../shared/ProblemList';
import { ErrorText, LoadState } from '../shared/Status';
import { useAnswer } from '../shared/use-answer';
import { SettingsForm } from './SettingsForm';

export const STATUS_TEXT: Record<StageStatus, Localized> = {
  in_process: ui.statusInProcess,
  success: ui.statusWon,
  failed: ui.statusLost,
};

/** A stage edit on the config: a CRM column keeps the user's choice; a won/lost stage with none is confirmed. */
export function editStage(config: MappingConfig, stage: StageMapping, patch: StagePatch): MappingConfig {
  if (stage.crmStageId !== null) return overrideStage(config, stage.crmStageId, patch);
  if (stage.status === 'in_process') return config;
  const { extId, name } = patch;
  return confirmSyntheticStage(config, stage.status, {
    ...(extId !== undefined && { extId }),
    ...(name !== undefined && { name }),
  });
}

export function MappingSection() {
  const mappings = useAnswer('mapping.list');
  return (
    <section id="mapping" aria-labelledby="mapping-heading">
      <h2 id="mapping-heading">{localize(ui.mappingHeading)}</h2>
      <p class="note">{localize(ui.mappingExplained)}</p>
      <LoadState loading={mappings.value === undefined} error={mappings.error} />
      {mappings.value?.length === 0 && <p class="note">{localize(ui.noMappings)}</p>}
      {mappings.value?.map((view) => (
        <MappingEditor key={view.key} view={view} />
      ))}
      <SettingsForm />
    </section>
  );
}

function MappingEditor({ view }: { view: MappingView }) {
  const [config, setConfig] = useState(view.config);
  const [problems, setProblems] = useState(view.problems);
  const [dirty, setDirty] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const headingId = `mapping-${view.key}`;

  function change(next: MappingConfig) {
    setConfig(next);
    setDirty(true);
    setMessage(null);
  }

  async function save(): Promise<boolean> {
    setError(null);
    try {
      const saved = await sendMessage('mapping.save', { key: view.key, config });
      setConfig(saved.config);
      setProblems(saved.problems);
      setDirty(false);
      setMessage({ ok: true, text: localize(ui.saved) });
      return true;
    } catch (failure) {
      setError((failure as Error).message);
      return false;
    }
  }

  async function createFunnel() {
    setMessage(null);
    if (dirty && !(await save())) return;
    try {
      const answer = await sendMessage('mapping.createFunnel', { key: view.key });
      setMessage({ ok: answer.ok, text: answer.message });
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <form
      class="mapping"
      data-testid="mapping-editor"
      data-key={view.key}
      aria-labelledby={headingId}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h3 id={headingId} class="clamped" title={config.pipelineName}>
        {shortened(config.pipelineName)}
      </h3>
      <p class="note wrap">{config.site}</p>
      <div class="two-columns">
        <label>
          {localize(ui.funnelName)}
          <input
            value={config.funnel.name}
            onInput={(event) =>
              change({ ...config, funnel: { ...config.funnel, name: event.currentTarget.value } })
            }
          />
        </label>
        <label>
          {localize(ui.funnelExtId)}
          <input
            value={config.funnel.extId}
            onInput={(event) =>
              change({ ...config, funnel: { ...config.funnel, extId: event.currentTarget.value } })
            }
          />
        </label>
      </div>
      <div class="table-scroll">
        <table>
          <caption>{localize(ui.stageTableCaption)}</caption>
          <thead>
            <tr>
              <th scope="col">{localize(ui.crmStage)}</th>
              <th scope="col">{localize(ui.comagicStage)}</th>
              <th scope="col">ext_id</th>
              <th scope="col">{localize(ui.stageStatus)}</th>
              <th scope="col">{localize(ui.stageOrder)}</th>
            </tr>
          </thead>
          <tbody>
            {config.stages.map((stage) => (
              <StageRow
                key={stage.crmStageId ?? `synthetic-${stage.status}`}
                stage={stage}
                proposed={isProposed(config, stage)}
                onPatch={(patch) => change(editStage(config, stage, patch))}
              />
            ))}
          </tbody>
        </table>
      </div>
      <ProblemList problems={problems} title={localize(ui.problemsHeading)} />
      <div class="actions">
        <button type="submit" data-testid="save-mapping">
          {localize(ui.save)}
        </button>
        <button type="button" class="secondary" data-testid="create-funnel" onClick={createFunnel}>
          {localize(ui.createFunnel)}
        </button>
      </div>
      <p role="status" aria-live="polite" class={`wrap ${message?.ok === false ? 'error' : 'done'}`}>
        {message?.text}
      </p>
      <ErrorText message={error} />
    </form>
  );
}

/** `proposed`: a won/lost stage the extension chose where the CRM says nothing; shown as such until confirmed. */
function StageRow({
  stage,
  proposed,
  onPatch,
}: {
  stage: StageMapping;
  proposed: boolean;
  onPatch: (patch: StagePatch) => void;
}) {
  const crmName = stage.crmStageId === null ? localize(ui.noCrmColumn) : stage.crmStageName;
  const synthetic = stage.crmStageId === null;
  return (
    <tr>
      <th scope="row">
        <span class="clamped" title={crmName}>
          {shortened(crmName)}
        </span>
        {proposed && (
          <>
            <span class="note" data-testid="stage-proposed">
              {localize(ui.stageProposed)}
            </span>
            <button type="button" class="secondary small" onClick={() => onPatch({})}>
              {localize(ui.confirmStage)}
            </button>
          </>
        )}
      </th>
      <td>
        <input
          aria-label={localize(ui.comagicStageFor, { stage: crmName })}
          value={stage.name}
          onInput={(event) => onPatch({ name: event.currentTarget.value })}
        />
      </td>
      <td>
        <input
          aria-label={localize(ui.extIdFor, { stage: crmName })}
          value={stage.extId}
          onInput={(event) => onPatch({ extId: event.currentTarget.value })}
        />
      </td>
      <td>
        <select
          aria-label={localize(ui.statusFor, { stage: crmName })}
          value={stage.status}
          disabled={synthetic}
          onChange={(event) => onPatch({ status: event.currentTarget.value as StageStatus })}
        >
          {STAGE_STATUSES.map((status) => (
            <option key={status} value={status}>
              {localize(STATUS_TEXT[status])}
            </option>
          ))}
        </select>
      </td>
      <td>
        <input
          type="number"
          min={0}
          max={10000}
          aria-label={localize(ui.orderFor, { stage: crmName })}
          value={stage.order ?? ''}
          disabled={stage.status !== 'in_process'}
          onInput={(event) => {
            const order = Number.parseInt(event.currentTarget.value, 10);
            onPatch({ order: Number.isFinite(order) ? order : null });
          }}
        />
      </td>
    </tr>
  );
}
