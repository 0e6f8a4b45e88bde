import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecipeView } from '@/utils/messaging';
import { answer, crmDeal, resetBrowser, sent, stubTabs } from '../../tests/support/ui';
import { RecipeEditor } from './RecipeEditor';

vi.mock('@/utils/send-message', () => ({ sendMessage: vi.fn() }));

beforeEach(() => resetBrowser());

const recipe: RecipeView = { id: 'r1', label: 'MyCRM', json: '{"id":"r1"}' };

describe('RecipeEditor', () => {
  it('shows each error of a rejected recipe on its own line', async () => {
    answer({
      'recipes.list': [],
      'recipes.save': {
        ok: false,
        id: null,
        errors: ['deal.name.selector: "##" is not a valid CSS selector', 'match: required'],
      },
    });
    render(<RecipeEditor />);
    fireEvent.input(screen.getByTestId('recipe-editor'), { target: { value: '{"deal":{}}' } });
    fireEvent.click(screen.getByTestId('save-recipe'));
    const lines = (await screen.findAllByRole('listitem')).filter((item) => item.classList.contains('error'));
    expect(lines.map((line) => line.textContent)).toEqual([
      'deal.name.selector: "##" is not a valid CSS selector',
      'match: required',
    ]);
    expect(sent('recipes.save')).toEqual([{ json: '{"deal":{}}' }]);
  });

  it('saves a valid recipe and lists it', async () => {
    const lists = [[], [recipe]];
    answer({
      'recipes.list': () => lists.shift() ?? [recipe],
      'recipes.save': { ok: true, id: 'r1', errors: [] },
    });
    render(<RecipeEditor />);
    expect(await screen.findByText('No recipe saved yet.')).toBeTruthy();
    fireEvent.input(screen.getByTestId('recipe-editor'), { target: { value: recipe.json } });
    fireEvent.click(screen.getByTestId('save-recipe'));
    expect((await screen.findByTestId('recipe-list')).textContent).toContain('MyCRM');
    expect(screen.getByText('Saved.')).toBeTruthy();
  });

  it('deletes a saved recipe', async () => {
    const lists = [[recipe], []];
    answer({ 'recipes.list': () => lists.shift() ?? [], 'recipes.delete': { deleted: true } });
    render(<RecipeEditor />);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete recipe MyCRM' }));
    await waitFor(() => expect(screen.getByText('No recipe saved yet.')).toBeTruthy());
    expect(sent('recipes.delete')).toEqual([{ id: 'r1' }]);
  });

  it('tests the recipe on a chosen tab and shows what it reads and misses', async () => {
    stubTabs([
      { id: 3, title: 'Inbox' },
      { id: 5, title: 'MyCRM — Deal 42' },
    ]);
    answer({
      'recipes.list': [],
      'recipes.test': {
        errors: [],
        kind: 'deal',
        reasons: [],
        deal: crmDeal({ name: 'Deal 42' }),
        board: null,
        problems: [
          { severity: 'warning', field: 'deal.owner', message: 'The owner selector matched nothing.' },
        ],
        table: [],
      },
    });
    render(<RecipeEditor />);
    fireEvent.input(screen.getByTestId('recipe-editor'), { target: { value: recipe.json } });
    fireEvent.click(screen.getByTestId('recipe-pick-tab'));
    const select = await screen.findByTestId('recipe-tab-select');
    fireEvent.change(select, { target: { value: '5' } });
    fireEvent.click(screen.getByTestId('recipe-test'));
    const result = await screen.findByTestId('recipe-test-result');
    expect(result.textContent).toContain('as a deal page');
    expect(result.textContent).toContain('Deal 42');
    expect(result.textContent).toContain('The owner selector matched nothing.');
    expect(sent('recipes.test')).toEqual([{ json: recipe.json, tabId: 5 }]);
  });

  it('shows what a board recipe reads', async () => {
    stubTabs([{ id: 3, title: 'Board' }]);
    answer({
      'recipes.list': [],
      'recipes.test': {
        errors: [],
        kind: 'board',
        reasons: [],
        deal: null,
        board: { pipelineName: 'Sales', stages: ['New', 'Won'], cards: 17 },
        problems: [],
        table: [],
      },
    });
    render(<RecipeEditor />);
    fireEvent.input(screen.getByTestId('recipe-editor'), { target: { value: recipe.json } });
    fireEvent.click(screen.getByTestId('recipe-pick-tab'));
    fireEvent.click(await screen.findByTestId('recipe-test'));
    const result = await screen.findByTestId('recipe-test-result');
    expect(result.textContent).toContain('New, Won');
    expect(result.textContent).toContain('17');
  });

  it('shows a table of what it read per card and field, with the rule that found it and what it missed', async () => {
    stubTabs([{ id: 3, title: 'Board' }]);
    answer({
      'recipes.list': [],
      'recipes.test': {
        errors: [],
        kind: 'board',
        reasons: [],
        deal: null,
        board: { pipelineName: 'Sales', stages: ['New'], cards: 80 },
        problems: [],
        table: [
          {
            scope: 'card[0]',
            dealName: 'Roof repair',
            field: 'name',
            value: 'Roof repair · Acme',
            link: 'h3',
          },
          {
            scope: 'card[0]',
            dealName: 'Roof repair',
            field: 'amount',
            value: '12345 USD ~',
            link: 'label "Budget"',
          },
          { scope: 'card[0]', dealName: 'Roof repair', field: 'owner', value: null, link: null },
        ],
      },
    });
    render(<RecipeEditor />);
    fireEvent.input(screen.getByTestId('recipe-editor'), { target: { value: recipe.json } });
    fireEvent.click(screen.getByTestId('recipe-pick-tab'));
    fireEvent.click(await screen.findByTestId('recipe-test'));
    const table = await screen.findByTestId('recipe-read-table');
    const cells = [...table.querySelectorAll('tbody tr')].map((row) =>
      [...row.querySelectorAll('td')].slice(1).map((cell) => cell.textContent),
    );
    expect(cells).toEqual([
      ['name', 'Roof repair · Acme', 'h3'],
      ['amount', '12345 USD ~', 'label "Budget"'],
      ['owner', 'not found: check this field’s rule', '—'],
    ]);
    expect(screen.getByText('The first 50 cards are shown.')).toBeTruthy();
  });
});
