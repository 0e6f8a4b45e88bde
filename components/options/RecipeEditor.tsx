import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { type RecipeReadRow, TABLE_CARDS } from '@/utils/crm/recipe/read-table';
import { localize } from '@/utils/i18n';
import type { RecipeTestView } from '@/utils/messaging';
import { sendMessage } from '@/utils/send-message';
import { ui } from '@/utils/ui-text';
import { ClampedText } from '../shared/ClampedText';
import { formatMoney } from '../shared/format';
import { ProblemList } from '../shared/ProblemList';
import { ErrorLines, ErrorText, LoadState } from '../shared/Status';
import { useAnswer } from '../shared/use-answer';

interface TabChoice {
  id: number;
  title: string;
}

/**
 * A recipe (JSON) teaches the extension a CRM it does not know: edit, save, try on an open tab.
 * `onChange` runs after a recipe is saved or deleted (the site list names each site's reader).
 */
export function RecipeEditor({ onChange }: { onChange?: () => unknown } = {}) {
  const recipes = useAnswer('recipes.list');
  const [json, setJson] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function save() {
    setErrors([]);
    setMessage(null);
    setError(null);
    try {
      const answer = await sendMessage('recipes.save', { json });
      setErrors(answer.errors);
      if (answer.ok) {
        setMessage(localize(ui.saved));
        await Promise.all([recipes.reload(), onChange?.()]);
      }
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  async function remove(id: string) {
    setError(null);
    try {
      await sendMessage('recipes.delete', { id });
      await Promise.all([recipes.reload(), onChange?.()]);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <section aria-labelledby="recipes-heading">
      <h3 id="recipes-heading">{localize(ui.recipesHeading)}</h3>
      <label>
        {localize(ui.recipeJson)}
        <textarea
          data-testid="recipe-editor"
          rows={12}
          spellcheck={false}
          value={json}
          onInput={(event) => setJson(event.currentTarget.value)}
        />
      </label>
      <div class="actions">
        <button type="button" data-testid="save-recipe" onClick={save} disabled={!json.trim()}>
          {localize(ui.saveRecipe)}
        </button>
      </div>
      <div role="status" aria-live="polite" class="done">
        {message}
      </div>
      <ErrorLines errors={errors} />
      <ErrorText message={error} />
      <RecipeTester json={json} />
      <h4>{localize(ui.savedRecipes)}</h4>
      <LoadState loading={recipes.value === undefined} error={recipes.error} />
      {recipes.value?.length === 0 && <p class="note">{localize(ui.noRecipes)}</p>}
      {recipes.value && recipes.value.length > 0 && (
        <ul class="recipe-list" data-testid="recipe-list">
          {recipes.value.map((recipe) => (
            <li key={recipe.id}>
              <ClampedText text={recipe.label} />
              <button type="button" class="secondary" onClick={() => setJson(recipe.json)}>
                {localize(ui.edit)}
              </button>
              <button
                type="button"
                class="secondary"
                aria-label={localize(ui.deleteRecipeLabel, { label: recipe.label })}
                onClick={() => remove(recipe.id)}
              >
                {localize(ui.delete)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RecipeTester({ json }: { json: string }) {
  const [tabs, setTabs] = useState<TabChoice[] | null>(null);
  const [tabId, setTabId] = useState<number | null>(null);
  const [result, setResult] = useState<RecipeTestView | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function loadTabs() {
    setError(null);
    try {
      const open = await browser.tabs.query({});
      const choices = open.flatMap((tab) =>
        tab.id === undefined ? [] : [{ id: tab.id, title: tab.title || tab.url || String(tab.id) }],
      );
      setTabs(choices);
      setTabId(choices[0]?.id ?? null);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  async function test() {
    if (tabId === null) return;
    setResult(null);
    setError(null);
    try {
      setResult(await sendMessage('recipes.test', { json, tabId }));
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <div class="recipe-test">
      <div class="actions">
        <button type="button" class="secondary" data-testid="recipe-pick-tab" onClick={loadTabs}>
          {localize(ui.testOnTab)}
        </button>
      </div>
      {tabs?.length === 0 && <p class="note">{localize(ui.noTabs)}</p>}
      {tabs && tabs.length > 0 && (
        <div class="inline-form">
          <label>
            {localize(ui.tab)}
            <select
              data-testid="recipe-tab-select"
              value={tabId ?? ''}
              onChange={(event) => setTabId(Number(event.currentTarget.value))}
            >
              {tabs.map((tab) => (
                <option key={tab.id} value={tab.id}>
                  {tab.title.slice(0, 100)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" data-testid="recipe-test" onClick={test} disabled={!json.trim()}>
            {localize(ui.runTest)}
          </button>
        </div>
      )}
      <ErrorText message={error} />
      {result && <RecipeTestResult result={result} />}
    </div>
  );
}

function RecipeTestResult({ result }: { result: RecipeTestView }) {
  return (
    <div class="test-result" data-testid="recipe-test-result" role="status">
      <ErrorLines errors={result.errors} />
      <p>
        {result.kind === 'deal' && localize(ui.recipeReadsDeal)}
        {result.kind === 'board' && localize(ui.recipeReadsBoard)}
        {result.kind === null && localize(ui.recipeReadsNothing)}
      </p>
      {result.reasons.length > 0 && (
        <ul>
          {result.reasons.map((reason, index) => (
            <li key={`${index}-${reason}`} class="wrap">
              {reason}
            </li>
          ))}
        </ul>
      )}
      {result.deal && (
        <dl>
          <dt>{localize(ui.dealName)}</dt>
          <dd>
            <ClampedText text={result.deal.name} />
          </dd>
          <dt>{localize(ui.dealId)}</dt>
          <dd class="wrap">{result.deal.id ?? '—'}</dd>
          <dt>{localize(ui.stage)}</dt>
          <dd class="wrap">{result.deal.stage?.name ?? '—'}</dd>
          <dt>{localize(ui.amount)}</dt>
          <dd>{formatMoney(result.deal.amount)}</dd>
          <dt>{localize(ui.owner)}</dt>
          <dd class="wrap">{result.deal.owner?.name ?? '—'}</dd>
          <dt>{localize(ui.contacts)}</dt>
          <dd>{result.deal.contacts.length}</dd>
          <dt>{localize(ui.historyHeading)}</dt>
          <dd>{result.deal.history.length}</dd>
        </dl>
      )}
      {result.board && (
        <dl>
          <dt>{localize(ui.pipeline)}</dt>
          <dd class="wrap">{result.board.pipelineName}</dd>
          <dt>{localize(ui.stagesHeading)}</dt>
          <dd class="wrap">{result.board.stages.join(', ') || '—'}</dd>
          <dt>{localize(ui.cards)}</dt>
          <dd>{result.board.cards}</dd>
        </dl>
      )}
      {result.table.length > 0 && <ReadTable rows={result.table} cards={result.board?.cards ?? 0} />}
      <ProblemList problems={result.problems} title={localize(ui.recipeMisses)} />
    </div>
  );
}

/** Each field the recipe read, per card or for the deal: a rule that reads the wrong text shows here. */
function ReadTable({ rows, cards }: { rows: RecipeReadRow[]; cards: number }) {
  return (
    <div class="read-table table-scroll">
      <h5>{localize(ui.recipeReadTable)}</h5>
      {cards > TABLE_CARDS && <p class="note">{localize(ui.recipeReadFirstCards, { count: TABLE_CARDS })}</p>}
      <table data-testid="recipe-read-table">
        <thead>
          <tr>
            <th scope="col">{localize(ui.recipeReadWhere)}</th>
            <th scope="col">{localize(ui.recipeReadField)}</th>
            <th scope="col">{localize(ui.recipeReadValue)}</th>
            <th scope="col">{localize(ui.recipeReadRule)}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.scope}.${row.field}`} class={row.value === null ? 'missed' : undefined}>
              <td class="wrap">
                {row.scope === 'deal' ? localize(ui.recipeReadDeal) : row.scope}
                {row.dealName && ' · '}
                {row.dealName && <ClampedText text={row.dealName} />}
              </td>
              <td>{row.field}</td>
              <td class="wrap">
                {row.value === null ? (
                  <em>{localize(ui.recipeReadMissed)}</em>
                ) : (
                  <ClampedText text={row.value} />
                )}
              </td>
              <td class="wrap">
                <code>{row.link ?? '—'}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
