import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecipe, type Recipe } from './recipe/schema';
import { builtInAdapters, detectPage } from './registry';

// Vitest runs from the repository root.
function page(path: string): { document: Document; url: string } {
  const html = readFileSync(`tests/fixtures/${path}.html`, 'utf8');
  const [crm, name] = path.split('/');
  const expected = JSON.parse(readFileSync(`tests/fixtures/${crm}/expected/${name}.json`, 'utf8'));
  return { document: new DOMParser().parseFromString(html, 'text/html'), url: expected.context.url };
}

function html(body: string): Document {
  return new DOMParser().parseFromString(body, 'text/html');
}

function krayin(): Recipe {
  const parsed = parseRecipe(JSON.parse(readFileSync('tests/fixtures/recipe/krayin.recipe.json', 'utf8')));
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.recipe;
}

describe('detectPage', () => {
  it('knows the three built-in CRMs', () => {
    expect(builtInAdapters.map((adapter) => adapter.id).sort()).toEqual(['amocrm', 'espocrm', 'odoo']);
  });

  const cases: [string, string, string][] = [
    ['espocrm/board-en', 'espocrm', 'board'],
    ['espocrm/deal-ru', 'espocrm', 'deal'],
    ['amocrm/board-ru', 'amocrm', 'board'],
    ['amocrm/deal-en-won', 'amocrm', 'deal'],
    ['odoo/board-en', 'odoo', 'board'],
    ['odoo/deal-en-history', 'odoo', 'deal'],
  ];
  for (const [path, adapterId, kind] of cases) {
    it(`detects ${path} as a ${adapterId} ${kind}`, () => {
      const { document, url } = page(path);
      const detection = detectPage(document, url);
      expect(detection.adapter?.id).toBe(adapterId);
      expect('kind' in detection && detection.kind).toBe(kind);
    });
  }

  it('detects a recipe page by its URL pattern and detect selector', () => {
    const { document, url } = page('recipe/krayin-board');
    const detection = detectPage(document, url, [krayin()]);
    expect(detection.adapter?.id).toBe('recipe:krayin');
    expect('kind' in detection && detection.kind).toBe('board');
  });

  it('does not use a recipe on an address outside its patterns', () => {
    const { document } = page('recipe/krayin-board');
    const detection = detectPage(document, 'https://elsewhere.example.net/admin/leads', [krayin()]);
    expect(detection.adapter).toBeNull();
  });

  it('says why a page that fits a recipe address lacks its markup', () => {
    const detection = detectPage(html('<p>Login</p>'), 'https://crm.example.org/admin/leads', [krayin()]);
    expect(detection).toEqual({
      adapter: null,
      reasons: [
        'Your recipe "Krayin" matches this address, but the page has none of its detect selectors (#lead-attributes, a.lead-item[href*="/leads/view/"]).',
      ],
    });
  });

  it('says there is nothing to export on a page with no CRM markup', () => {
    const detection = detectPage(html('<h1>Weather</h1>'), 'https://news.example.com/');
    expect(detection).toEqual({
      adapter: null,
      reasons: [
        'Nothing to export here: no known CRM markup found (EspoCRM, Odoo, amoCRM / Kommo, or one of your recipes).',
      ],
    });
  });

  it('names EspoCRM on an EspoCRM page of another entity', () => {
    const document = html(
      '<div class="detail" data-scope="Account"><div class="field">Tallow Books</div></div>',
    );
    const detection = detectPage(document, 'https://crm.example.com/#Account/view/acc005');
    expect(detection.adapter).toBeNull();
    expect('reasons' in detection && detection.reasons).toEqual([
      'EspoCRM page (Account), but neither the Opportunity kanban nor an Opportunity page: open Opportunities in kanban view, or one Opportunity.',
    ]);
  });

  it('names amoCRM on one of its pages that is neither a board nor a deal', () => {
    const detection = detectPage(html('<div class="feed"></div>'), 'https://acme.amocrm.ru/contacts/list/');
    expect('reasons' in detection && detection.reasons).toEqual([
      'amoCRM / Kommo page, but not one to export: open a pipeline board (/leads/pipeline/…) or a deal (/leads/detail/…).',
    ]);
  });
});
