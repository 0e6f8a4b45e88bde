import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecipe } from './schema';

const goodRecipe = () => JSON.parse(readFileSync('tests/fixtures/recipe/krayin.recipe.json', 'utf8'));

// biome-ignore lint/suspicious/noExplicitAny: tests edit the recipe's JSON freely to break it
function errorsOf(change: (recipe: any) => void): string[] {
  const recipe = goodRecipe();
  change(recipe);
  const result = parseRecipe(recipe);
  return result.ok ? [] : result.errors;
}

describe('parseRecipe', () => {
  it('accepts the example recipe', () => {
    const result = parseRecipe(goodRecipe());
    expect(result.ok).toBe(true);
    expect(result.ok && result.recipe.id).toBe('krayin');
  });

  it('accepts a board-only recipe', () => {
    expect(
      errorsOf((recipe) => {
        delete recipe.deal;
        delete recipe.detect.deal;
      }),
    ).toEqual([]);
  });

  it('rejects something that is not an object', () => {
    expect(parseRecipe('krayin')).toEqual({ ok: false, errors: ['recipe: must be an object'] });
  });

  it('names a missing required field', () => {
    expect(errorsOf((recipe) => delete recipe.label)).toEqual(['label: is required (string)']);
  });

  it('names an unknown field so a typo is found', () => {
    expect(errorsOf((recipe) => (recipe.board.fields.amout = { selector: 'b' }))).toEqual([
      'board.fields: unknown field "amout": check the spelling or remove it',
    ]);
  });

  it('rejects an invalid CSS selector and names the field', () => {
    expect(errorsOf((recipe) => (recipe.board.fields.name.selector = 'p[class='))).toEqual([
      'board.fields.name.selector: "p[class=" is not a valid CSS selector',
    ]);
  });

  it('rejects an invalid regular expression and names the field', () => {
    expect(errorsOf((recipe) => (recipe.deal.timeline.date.regex = '(unclosed'))).toEqual([
      'deal.timeline.date.regex: "(unclosed" is not a valid regular expression',
    ]);
  });

  it('rejects a regular expression that could freeze the CRM tab, saying why', () => {
    expect(errorsOf((recipe) => (recipe.deal.timeline.date.regex = '^([0-9]+)+$'))).toEqual([
      'deal.timeline.date.regex: "^([0-9]+)+$" repeats a group that holds a quantifier or "|" (like (a+)+), which can freeze the CRM tab: use a character class such as [\\w-]+ instead',
    ]);
  });

  it('rejects a URL pattern it cannot match', () => {
    expect(errorsOf((recipe) => (recipe.urlPatterns = ['ftp://crm.example.org/*']))).toEqual([
      'urlPatterns[0]: "ftp://crm.example.org/*" is not a URL pattern: write e.g. "https://crm.example.com/*" or "*.example.com"',
    ]);
    expect(errorsOf((recipe) => (recipe.urlPatterns = []))).toEqual([
      'urlPatterns: needs at least one entry',
    ]);
  });

  it('rejects an unknown value of a choice', () => {
    expect(errorsOf((recipe) => (recipe.board.fields.url.from = 'href'))).toEqual([
      'board.fields.url.from: must be one of "text", "attr", "url"',
    ]);
  });

  it('asks for the attribute name when a rule reads an attribute', () => {
    expect(errorsOf((recipe) => delete recipe.board.fields.url.attr)).toEqual([
      'board.fields.url.attr: is required with from: "attr" (e.g. "href")',
    ]);
  });

  it('rejects a selector on a rule that reads the URL', () => {
    expect(errorsOf((recipe) => (recipe.deal.id.selector = 'h1'))).toEqual([
      'deal.id.selector: is not used with from: "url" (the rule reads the page address); remove it',
    ]);
  });

  it('rejects a badly formed id', () => {
    expect(errorsOf((recipe) => (recipe.id = 'My CRM'))).toEqual([
      'id: use lower-case letters, digits and dashes, e.g. "krayin"',
    ]);
  });

  it('needs a detect selector for each part and a part for each detect selector', () => {
    expect(errorsOf((recipe) => delete recipe.deal)).toEqual([
      'deal: is required because detect.deal is set',
    ]);
    expect(errorsOf((recipe) => delete recipe.detect.board)).toEqual([
      'detect.board: is required because the recipe has a "board" part',
    ]);
    expect(errorsOf((recipe) => (recipe.detect = {}))).toContain(
      'detect: give a "deal" or a "board" selector (or both)',
    );
  });

  it('rejects a wrong type with what it should be', () => {
    expect(errorsOf((recipe) => (recipe.board.fields.amount.all = 'yes'))).toEqual([
      'board.fields.amount.all: must be a boolean',
    ]);
  });
});

describe('parseRecipe: the richer language', () => {
  it('still accepts a recipe saved before it, and reads each rule as a chain of one', () => {
    const saved = {
      id: 'old-crm',
      label: 'Old CRM',
      urlPatterns: ['https://old.example.com/*'],
      detect: { board: '.kanban' },
      board: {
        column: '.col',
        stageName: { selector: 'h2', regex: '^(.*?) \\(' },
        card: '.card',
        fields: { id: { from: 'attr', attr: 'data-id' }, name: { selector: 'b', all: true } },
      },
    };
    const result = parseRecipe(saved);
    expect(result.ok && result.recipe.board?.fields.name).toEqual([{ selector: 'b', all: true }]);
  });

  it('names the link of a chain that is wrong', () => {
    expect(
      errorsOf((recipe) => (recipe.deal.owner = [{ selector: 'b' }, { label: 'Owner', from: 'url' }])),
    ).toEqual([
      'deal.owner[1].label: is not used with from: "url" (the rule reads the page address); remove it',
    ]);
  });

  it('says what a step and a transform take', () => {
    expect(errorsOf((recipe) => (recipe.deal.name.steps = [{ up: 'div', next: 'p' }]))).toEqual([
      'deal.name.steps[0]: give exactly one of "up", "next", "prev", "find"',
    ]);
    expect(errorsOf((recipe) => (recipe.deal.name.transform = [{ multiply: -2 }]))).toEqual([
      'deal.name.transform[0].multiply: must be more than 0',
    ]);
    expect(errorsOf((recipe) => (recipe.deal.name.transform = [{ with: 'x' }]))).toEqual([
      'deal.name.transform[0]: give exactly one of "replace", "trim", "multiply"',
      'deal.name.transform[0].with: goes with "replace"',
    ]);
  });

  it('names the deal layout a mistake is in', () => {
    expect(
      errorsOf(
        (recipe) =>
          (recipe.deal = [
            { ...recipe.deal, scope: '.modal' },
            { ...recipe.deal, stage: undefined },
          ]),
      ),
    ).toEqual(['deal[1].stage: is required (object)']);
  });

  it('asks for a stage name unless each card reads its own', () => {
    expect(errorsOf((recipe) => delete recipe.board.stageName)).toEqual([
      "board.stageName: is required unless fields.stage reads each card's stage",
    ]);
    expect(
      errorsOf((recipe) => {
        delete recipe.board.stageName;
        recipe.board.fields.stage = { selector: '.status' };
      }),
    ).toEqual([]);
  });

  it('accepts the CRM-heras recipe (labels, steps, transforms, two deal layouts)', () => {
    const json = JSON.parse(readFileSync('tests/fixtures/recipe/crm-heras/crm-heras.recipe.json', 'utf8'));
    expect(parseRecipe(json)).toMatchObject({ ok: true });
  });
});

describe('the README recipe examples', () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('### The recipe language'), readme.indexOf('## Security'));
  const examples = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

  it('are two, and each is a valid recipe', () => {
    expect(examples).toHaveLength(2);
    for (const example of examples) expect(parseRecipe(JSON.parse(example))).toMatchObject({ ok: true });
  });

  it('show the CRM-heras recipe exactly as the fixtures test it', () => {
    const fixture = readFileSync('tests/fixtures/recipe/crm-heras/crm-heras.recipe.json', 'utf8');
    expect(JSON.parse(examples[1] ?? '')).toEqual(JSON.parse(fixture));
  });
});
