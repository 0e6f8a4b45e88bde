import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../tests/support/crm-fixtures';
import { recipeAdapter } from './engine';
import { parseRecipe, type Recipe } from './schema';

// Vitest runs from the repository root.
const fixtures = 'tests/fixtures/recipe';

function krayinRecipe(): Recipe {
  const parsed = parseRecipe(JSON.parse(readFileSync(`${fixtures}/krayin.recipe.json`, 'utf8')));
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.recipe;
}

const load = (name: string) => loadFixture('recipe', name);

describe('recipe engine on the Krayin-like example', () => {
  const adapter = recipeAdapter(krayinRecipe());

  it('is an adapter named after the recipe', () => {
    expect(adapter.id).toBe('recipe:krayin');
    expect(adapter.label).toBe('Krayin');
  });

  it('reads the board as the page shows it', () => {
    const { document, context, expected } = load('krayin-board');
    expect(adapter.detect(document, context.url)).toBe('board');
    const result = adapter.scrapeBoard(document, context);
    expect(result.data).toEqual(expected.data);
    expect(result.problems).toEqual(expected.problems);
  });

  it('reads the deal page with its stage history', () => {
    const { document, context, expected } = load('krayin-deal');
    expect(adapter.detect(document, context.url)).toBe('deal');
    const result = adapter.scrapeDeal(document, context);
    expect(result.data).toEqual(expected.data);
    expect(result.problems).toEqual(expected.problems);
  });

  it('detects nothing outside its URL patterns', () => {
    const { document } = load('krayin-deal');
    expect(adapter.detect(document, 'https://other.example.org/admin/leads/view/41')).toBeNull();
  });

  it('reports a changed layout as problems, not as an exception', () => {
    const { document, context } = load('krayin-deal');
    for (const element of document.querySelectorAll('#activities p.text-xs, h1')) element.remove();
    const result = adapter.scrapeDeal(document, context);
    expect(result.data?.name).toBe('');
    // Without dates the changes cannot be placed in time, but they still tell where the deal started.
    expect(result.data?.history.map((visit) => visit.stage.name)).toEqual(['New']);
    expect(result.problems).toEqual([
      { code: 'selector_missed', field: 'deal.name', detail: 'h1', severity: 'error' },
      {
        code: 'selector_missed',
        field: 'history[0].enteredAt',
        detail: 'p.text-xs /^(.*?), by /',
        severity: 'warning',
      },
      {
        code: 'selector_missed',
        field: 'history[1].enteredAt',
        detail: 'p.text-xs /^(.*?), by /',
        severity: 'warning',
      },
    ]);
  });

  it('reports a date it cannot read with the raw text', () => {
    const { document, context } = load('krayin-deal');
    const created = document.querySelector('#lead-attributes > div:nth-child(3) > .font-medium');
    if (created) created.textContent = 'in the spring';
    const result = adapter.scrapeDeal(document, context);
    expect(result.data?.createdAt).toBeNull();
    expect(result.problems).toContainEqual({
      code: 'date_unparsed',
      field: 'deal.createdAt',
      detail: 'in the spring',
      severity: 'warning',
    });
  });

  it('returns no data and says why when asked for the other kind of page', () => {
    const { document, context } = load('krayin-deal');
    const result = adapter.scrapeBoard(document, context);
    expect(result.data).toBeNull();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'not_a_board', severity: 'error' })]);
  });
});

describe('recipe engine safety', () => {
  it('stops with a problem naming the field when the page rejects a selector', () => {
    const recipe = { ...krayinRecipe(), detect: { deal: 'div[', board: 'a.lead-item' } };
    const { document, context } = load('krayin-deal');
    const result = recipeAdapter(recipe).scrapeDeal(document, context);
    expect(result.data).toBeNull();
    expect(result.problems).toEqual([
      { code: 'recipe_selector_invalid', field: 'recipe.detect.deal', detail: 'div[', severity: 'error' },
    ]);
  });

  it('leaves stage outcomes unknown without hints', () => {
    const { outcomes: _hints, ...recipe } = krayinRecipe();
    const { document, context } = load('krayin-board');
    const result = recipeAdapter(recipe).scrapeBoard(document, context);
    expect(result.data?.stages.map((stage) => stage.outcome)).toEqual([null, null, null, null, null]);
  });
});
