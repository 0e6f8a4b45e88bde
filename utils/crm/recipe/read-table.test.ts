import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../tests/support/crm-fixtures';
import { recipeAdapter } from './engine';
import { recipeReadTable, TABLE_CARDS } from './read-table';
import { parseRecipe, type Recipe } from './schema';

function recipeFrom(path: string): Recipe {
  const parsed = parseRecipe(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.recipe;
}

const heras = recipeFrom('tests/fixtures/recipe/crm-heras/crm-heras.recipe.json');
const krayin = recipeFrom('tests/fixtures/recipe/krayin.recipe.json');

describe('the recipe test table', () => {
  it('lists each card field with its value and the rule that read it', () => {
    const { document, context } = loadFixture('recipe/crm-heras', 'deals-list');
    const result = recipeAdapter(heras).scrapeBoard(document, context);
    const rows = recipeReadTable(heras, { deal: null, board: result.data, problems: result.problems });
    expect(rows.filter((row) => row.scope === 'card[0]')).toEqual([
      {
        scope: 'card[0]',
        dealName: 'Поставка стройматериалов Q1',
        field: 'id',
        value: 'd1',
        link: 'element @data-row-key',
      },
      {
        scope: 'card[0]',
        dealName: 'Поставка стройматериалов Q1',
        field: 'name',
        value: 'Поставка стройматериалов Q1',
        link: 'td:nth-child(1)',
      },
      {
        scope: 'card[0]',
        dealName: 'Поставка стройматериалов Q1',
        field: 'stage',
        value: 'Переговоры',
        link: 'td:nth-child(3) .ant-tag',
      },
      {
        scope: 'card[0]',
        dealName: 'Поставка стройматериалов Q1',
        field: 'amount',
        value: '450000 RUB',
        link: 'td:nth-child(4)',
      },
      {
        scope: 'card[0]',
        dealName: 'Поставка стройматериалов Q1',
        field: 'contact',
        value: 'Иван Петров',
        link: 'td:nth-child(2)',
      },
      {
        scope: 'card[0]',
        dealName: 'Поставка стройматериалов Q1',
        field: 'owner',
        value: 'Анна Менеджерова',
        link: 'td:nth-child(5) .ant-avatar + span',
      },
      {
        scope: 'card[0]',
        dealName: 'Поставка стройматериалов Q1',
        field: 'url',
        value: 'http://127.0.0.1:5173/deals/d1',
        link: 'element @data-row-key',
      },
    ]);
    expect(new Set(rows.map((row) => row.scope)).size).toBe(4);
  });

  it('names the later link of a chain that read a deal field, and shows what it missed', () => {
    const { document, context } = loadFixture('recipe/crm-heras', 'deal-d3');
    document.querySelector('h4.ant-typography')?.parentElement?.nextElementSibling?.remove();
    for (const label of document.querySelectorAll('.ant-descriptions-item-label')) {
      if (label.textContent?.includes('Менеджер')) label.remove();
    }
    const result = recipeAdapter(heras).scrapeDeal(document, context);
    const rows = recipeReadTable(heras, { deal: result.data, board: null, problems: result.problems });
    expect(rows.find((row) => row.field === 'stage')).toMatchObject({
      value: 'Закрыта / Выиграна',
      link: 'label "Изменить статус"',
    });
    expect(rows.find((row) => row.field === 'owner')).toMatchObject({ value: null, link: null });
    // Two layouts: the page does not say which one read the amount, so both first links are named.
    expect(rows.find((row) => row.field === 'amount')?.link).toBe(
      'label "Сумма (₽)" in .ant-modal-content label / label "Сумма сделки"',
    );
  });

  it('shows at most the first cards of a large board', () => {
    const { document, context } = loadFixture('recipe', 'krayin-board');
    const board = recipeAdapter(krayin).scrapeBoard(document, context).data;
    if (!board) throw new Error('no board');
    const many = { ...board, deals: Array.from({ length: TABLE_CARDS + 10 }, () => board.deals[0]!) };
    const rows = recipeReadTable(krayin, { deal: null, board: many, problems: [] });
    expect(new Set(rows.map((row) => row.scope)).size).toBe(TABLE_CARDS);
  });
});
