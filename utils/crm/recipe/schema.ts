import { z } from 'zod';
import { isValidSelector, safeRegExp } from './safe';
import { isUrlPattern } from './url-pattern';

// Used by the options page and the background only: zod stays out of the content script, which
// receives recipes already checked here and runs them with `engine.ts`.

/** Selectors are checked where a DOM exists (options page, tests); the engine re-checks on the page. */
const cssSelector = z
  .string()
  .trim()
  .min(1)
  .refine((selector) => !globalThis.document || isValidSelector(selector, globalThis.document), {
    error: (issue) => `${JSON.stringify(issue.input)} is not a valid CSS selector`,
  });

const regex = z
  .string()
  .min(1)
  .refine((source) => safeRegExp(source) !== null, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a valid regular expression`,
  });

const nonEmptyText = z.string().trim().min(1);

/** Where a value comes from: an element's text or attribute (optionally cut by a regex), or the page URL. */
const fieldRule = z
  .strictObject({
    selector: cssSelector.optional(),
    from: z.enum(['text', 'attr', 'url']).optional(),
    attr: nonEmptyText.optional(),
    regex: regex.optional(),
    all: z.boolean().optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.from === 'attr' && rule.attr === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['attr'],
        message: 'is required with from: "attr" (e.g. "href")',
      });
    }
    if (rule.attr !== undefined && rule.from !== 'attr') {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be "attr" when attr is given' });
    }
    if (rule.from === 'url' && rule.selector !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['selector'],
        message: 'is not used with from: "url" (the rule reads the page address); remove it',
      });
    }
  });

const urlPattern = z.string().refine(isUrlPattern, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a URL pattern: write e.g. "https://crm.example.com/*" or "*.example.com"`,
});

const boardSchema = z.strictObject({
  /** Each column is one stage; the rules below read inside it. */
  column: cssSelector,
  stageId: fieldRule.optional(),
  stageName: fieldRule,
  card: cssSelector,
  /** Present in a column that holds more cards than it shows. */
  more: cssSelector.optional(),
  fields: z.strictObject({
    id: fieldRule,
    name: fieldRule,
    amount: fieldRule.optional(),
    contact: fieldRule.optional(),
    owner: fieldRule.optional(),
    /** The deal's creation date as the card shows it. */
    date: fieldRule.optional(),
    url: fieldRule.optional(),
  }),
});

const dealSchema = z.strictObject({
  id: fieldRule,
  name: fieldRule,
  stage: fieldRule,
  amount: fieldRule.optional(),
  owner: fieldRule.optional(),
  createdAt: fieldRule.optional(),
  contacts: z
    .strictObject({
      item: cssSelector,
      name: fieldRule,
      phone: fieldRule.optional(),
      email: fieldRule.optional(),
    })
    .optional(),
  timeline: z
    .strictObject({
      entry: cssSelector,
      date: fieldRule,
      newStage: fieldRule,
      oldStage: fieldRule.optional(),
      onlyIf: z
        .strictObject({ textContains: nonEmptyText.optional(), selector: cssSelector.optional() })
        .optional(),
      order: z.enum(['newest-first', 'oldest-first']).optional(),
    })
    .optional(),
});

export const recipeSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'use lower-case letters, digits and dashes, e.g. "krayin"' }),
    label: nonEmptyText,
    urlPatterns: z.array(urlPattern).min(1),
    detect: z
      .strictObject({ deal: cssSelector.optional(), board: cssSelector.optional() })
      .refine((detect) => detect.deal !== undefined || detect.board !== undefined, {
        error: 'give a "deal" or a "board" selector (or both)',
      }),
    dates: z
      .strictObject({
        order: z.enum(['DMY', 'MDY', 'YMD']).optional(),
        locale: z.enum(['ru', 'en']).optional(),
      })
      .optional(),
    /** Stage names or ids that mean the deal is won / lost. */
    outcomes: z
      .strictObject({ won: z.array(nonEmptyText).optional(), lost: z.array(nonEmptyText).optional() })
      .optional(),
    board: boardSchema.optional(),
    deal: dealSchema.optional(),
  })
  .superRefine((recipe, ctx) => {
    for (const part of ['board', 'deal'] as const) {
      if (recipe.detect[part] !== undefined && recipe[part] === undefined) {
        ctx.addIssue({ code: 'custom', path: [part], message: `is required because detect.${part} is set` });
      }
      if (recipe[part] !== undefined && recipe.detect[part] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['detect', part],
          message: `is required because the recipe has a "${part}" part`,
        });
      }
    }
  });

export type Recipe = z.infer<typeof recipeSchema>;
export type FieldRule = z.infer<typeof fieldRule>;

export function parseRecipe(json: unknown): { ok: true; recipe: Recipe } | { ok: false; errors: string[] } {
  const result = recipeSchema.safeParse(json, { reportInput: true });
  if (result.success) return { ok: true, recipe: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => `${pathOf(issue.path)}: ${explain(issue)}`),
  };
}

/** A recipe as the user wrote it (JSON text), or what is wrong with it. */
export function parseRecipeJson(
  text: string,
): { ok: true; recipe: Recipe } | { ok: false; errors: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`JSON: ${(error as Error).message}`] };
  }
  return parseRecipe(value);
}

function pathOf(path: PropertyKey[]): string {
  const text = path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  return text === '' ? 'recipe' : text.replace(/^\./, '');
}

function explain(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `is required (${issue.expected})`
        : `must be ${article(issue.expected)}`;
    case 'too_small':
      return issue.origin === 'array' ? 'needs at least one entry' : 'must not be empty';
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}: check the spelling or remove ${issue.keys.length > 1 ? 'them' : 'it'}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  return `${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}`;
}
