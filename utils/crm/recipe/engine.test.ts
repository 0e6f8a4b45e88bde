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

function herasRecipe(): Recipe {
  const json = readFileSync(`${fixtures}/crm-heras/crm-heras.recipe.json`, 'utf8');
  const parsed = parseRecipe(JSON.parse(json));
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.recipe;
}

describe('a user-written recipe on CRM-heras, a real single-page CRM (pages saved by capture.ts)', () => {
  const adapter = recipeAdapter(herasRecipe());
  const heras = (name: string) => loadFixture('recipe/crm-heras', name);

  it('reads every deal of the list view with its stage, amount, client and manager', () => {
    const { document, context, expected } = heras('deals-list');
    expect(adapter.detect(document, context.url)).toBe('board');
    const result = adapter.scrapeBoard(document, context);
    expect(result.data).toEqual(expected.data);
    expect(result.problems).toEqual(expected.problems);
  });

  it.each(['deal-d1', 'deal-d3', 'deal-d6'])(
    'reads the deal page %s: stage, amount, client, history',
    (name) => {
      const { document, context, expected } = heras(name);
      expect(adapter.detect(document, context.url)).toBe('deal');
      const result = adapter.scrapeDeal(document, context);
      expect(result.data).toEqual(expected.data);
      expect(result.problems).toEqual(expected.problems);
    },
  );

  it('reads the edit dialog as its own layout: the name being typed, the form amount', () => {
    const { document, context, expected } = heras('deal-d2-edit');
    expect(adapter.detect(document, context.url)).toBe('deal');
    const result = adapter.scrapeDeal(document, context);
    expect(result.data).toEqual(expected.data);
    expect(result.problems).toEqual(expected.problems);
  });

  it('falls back to the status select when the status tag is gone, and says which link it used', () => {
    const { document, context } = heras('deal-d3');
    document.querySelector('h4.ant-typography')?.parentElement?.nextElementSibling?.remove();
    const result = adapter.scrapeDeal(document, context);
    // The select names the won stage as the kanban does; the recipe's transform maps it back.
    expect(result.data?.stage).toEqual({
      id: 'Закрыта / Выиграна',
      name: 'Закрыта / Выиграна',
      outcome: 'won',
    });
    expect(result.problems).toContainEqual({
      code: 'fallback_used',
      field: 'deal.stage',
      detail: 'label "Изменить статус"',
      severity: 'warning',
    });
  });
});

/** A recipe of one deal layout reading a small page: the language's rules one by one. */
function dealPage(html: string, deal: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const parsed = parseRecipe({
    id: 'mini',
    label: 'Mini CRM',
    urlPatterns: ['https://mini.example.com/*'],
    detect: { deal: 'main' },
    ...extra,
    deal: {
      id: { from: 'url', regex: '/deal/(\\d+)' },
      name: { selector: 'h1' },
      stage: { selector: '.stage' },
      ...deal,
    },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const document = new DOMParser().parseFromString(
    `<main><h1>Roof repair</h1><span class="stage">Offer</span>${html}</main>`,
    'text/html',
  );
  const context = {
    now: '2026-03-05T12:00:00Z',
    timeZone: 'UTC',
    locale: 'en' as const,
    url: 'https://mini.example.com/deal/7',
  };
  return recipeAdapter(parsed.recipe).scrapeDeal(document, context);
}

describe('recipe language', () => {
  it('picks a value by its label: the sibling, a dt/dd pair, a form field, in ru or en', () => {
    const html = `
      <div class="row"><span>Бюджет:</span><span>1,5 млн ₽</span></div>
      <dl><dt>Source</dt><dd>Webinar</dd></dl>
      <form><label for="d">Description</label><div><textarea id="d">Two floors</textarea></div></form>`;
    const result = dealPage(html, {
      amount: { label: ['Budget', 'Бюджет'] },
      source: { label: 'Source' },
      description: { label: 'Description' },
    });
    expect(result.data?.amount).toEqual({ amount: 1_500_000, currency: 'RUB', rounded: true });
    expect(result.data?.source).toBe('Webinar');
    expect(result.data?.description).toBe('Two floors');
  });

  it('moves from what it found by steps: up to an ancestor, to a sibling, down to a descendant', () => {
    const html = '<section><h3>Company</h3><div><b>Acme Ltd</b><i>since 2019</i></div></section>';
    const result = dealPage(html, {
      company: { selector: 'i', steps: [{ up: 'section' }, { find: 'h3' }, { next: 'div' }, { find: 'b' }] },
    });
    expect(result.data?.company).toEqual({ id: null, name: 'Acme Ltd' });
  });

  it('changes the text read: replace, trim, and multiply for an amount shown in thousands', () => {
    const html = '<p class="sum">(12.3)</p><p class="tags">#vip, #wholesale</p>';
    const result = dealPage(html, {
      amount: { selector: '.sum', transform: [{ trim: '()' }, { multiply: 1000 }] },
      tags: { selector: '.tags', transform: [{ replace: '#', with: '' }] },
    });
    expect(result.data?.amount).toEqual({ amount: 12_300, currency: null, rounded: false });
    expect(result.data?.tags).toEqual(['vip, wholesale']);
  });

  it('lists tags shown as chips beside their label', () => {
    const result = dealPage('<div><span>Tags</span><span><i>vip</i><i>wholesale</i></span></div>', {
      tags: { label: 'Tags', all: true },
    });
    expect(result.data?.tags).toEqual(['vip', 'wholesale']);
  });

  it('reads a stage id beside its name, and a contact id and URL', () => {
    const html = `<span class="stage" data-id="s-4">Offer</span>
      <ul><li class="person"><a href="/people/31">Ann Lee</a><a href="tel:+15550100">call</a></li></ul>`;
    const result = dealPage(html, {
      stageId: { selector: '.stage[data-id]', from: 'attr', attr: 'data-id' },
      contacts: {
        item: 'li.person',
        name: { selector: 'a' },
        url: { selector: 'a', from: 'attr', attr: 'href' },
        phone: { selector: 'a[href^="tel:"]', from: 'attr', attr: 'href', regex: 'tel:(.*)' },
      },
    });
    expect(result.data?.stage).toEqual({ id: 's-4', name: 'Offer', outcome: null });
    expect(result.data?.contacts).toEqual([
      {
        id: 'https://mini.example.com/people/31',
        name: 'Ann Lee',
        phones: ['+15550100'],
        emails: [],
        createdAt: null,
      },
    ]);
  });

  it('names its pipeline by a rule, else by the recipe: two recipes never share a funnel', () => {
    const html = '<a class="pipe" href="/deals?pipeline=9">Retail</a>';
    const ruled = dealPage(
      html,
      {},
      {
        pipeline: {
          id: { selector: 'a.pipe', from: 'attr', attr: 'href', regex: 'pipeline=(\\d+)' },
          name: { selector: 'a.pipe' },
        },
      },
    );
    expect(ruled.data?.pipeline).toEqual({ id: '9', name: 'Retail' });
    expect(dealPage(html, {}).data?.pipeline).toEqual({ id: 'mini', name: 'Mini CRM' });
  });

  it('takes a fixed pipeline id or name as written', () => {
    const html = '<a class="pipe" href="/deals?pipeline=9">Retail</a>';
    expect(dealPage(html, {}, { pipeline: { id: 'default' } }).data?.pipeline).toEqual({
      id: 'default',
      name: 'Mini CRM',
    });
    expect(
      dealPage(html, {}, { pipeline: { id: 'sales', name: { selector: 'a.pipe' } } }).data?.pipeline,
    ).toEqual({ id: 'sales', name: 'Retail' });
  });

  it('tries the links of a chain in order and reports the one that matched when not the first', () => {
    const result = dealPage('<p class="owner-old">Bob</p>', {
      owner: [{ selector: '.owner' }, { label: 'Owner' }, { selector: '.owner-old' }],
    });
    expect(result.data?.owner).toEqual({ id: null, name: 'Bob' });
    expect(result.problems).toEqual([
      { code: 'fallback_used', field: 'deal.owner', detail: '.owner-old', severity: 'warning' },
    ]);
  });

  it('reports a chain that finds nothing with all its links', () => {
    const result = dealPage('', { owner: [{ selector: '.owner' }, { label: 'Owner' }] });
    expect(result.problems).toEqual([
      { code: 'selector_missed', field: 'deal.owner', detail: '.owner | label "Owner"', severity: 'warning' },
    ]);
  });
});
