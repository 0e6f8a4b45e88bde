import { z } from 'zod';
import { isValidSelector, regExpProblem } from './safe';
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
  .refine((source) => regExpProblem(source) === null, {
    error: (issue) => `${JSON.stringify(issue.input)} ${regExpProblem(String(issue.input))}`,
  });

const nonEmptyText = z.string().trim().min(1);

/** A move from the element a rule found to the one holding the value: its column's label beside it. */
const step = z
  .strictObject({
    /** The nearest ancestor matching. */
    up: cssSelector.optional(),
    /** The first following sibling matching (`*`: the next one). */
    next: cssSelector.optional(),
    /** The first preceding sibling matching (`*`: the previous one). */
    prev: cssSelector.optional(),
    /** The first descendant matching. */
    find: cssSelector.optional(),
  })
  .refine((move) => Object.keys(move).length === 1, {
    error: 'give exactly one of "up", "next", "prev", "find"',
  });

/** A change of the text read, in order; `multiply` scales an amount ("12.3" shown in thousands). */
const transform = z
  .strictObject({
    replace: regex.optional(),
    with: z.string().optional(),
    trim: z.string().min(1).optional(),
    multiply: z.number().positive().finite().optional(),
  })
  .superRefine((change, ctx) => {
    const kinds = (['replace', 'trim', 'multiply'] as const).filter((kind) => change[kind] !== undefined);
    if (kinds.length !== 1)
      ctx.addIssue({ code: 'custom', message: 'give exactly one of "replace", "trim", "multiply"' });
    if (change.with !== undefined && change.replace === undefined)
      ctx.addIssue({ code: 'custom', path: ['with'], message: 'goes with "replace"' });
  });

const labels = z
  .union([nonEmptyText, z.array(nonEmptyText).min(1)])
  .transform((text) => (Array.isArray(text) ? text : [text]));

/**
 * Where a value comes from: an element's text or attribute (optionally cut by a regex), the value
 * beside a label, or the page URL.
 */
const fieldRule = z
  .strictObject({
    selector: cssSelector.optional(),
    /** The value is the one beside the element showing one of these labels (`selector` narrows the labels). */
    label: labels.optional(),
    steps: z.array(step).optional(),
    from: z.enum(['text', 'attr', 'url']).optional(),
    attr: nonEmptyText.optional(),
    regex: regex.optional(),
    all: z.boolean().optional(),
    transform: z.array(transform).optional(),
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
    for (const key of ['selector', 'label', 'steps'] as const) {
      if (rule.from === 'url' && rule[key] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'is not used with from: "url" (the rule reads the page address); remove it',
        });
      }
    }
  });

export type FieldRule = z.infer<typeof fieldRule>;

/**
 * One rule, or several tried in order (the first that finds a value wins): `[{…}, {…}]`. Always a
 * list once parsed; each link's errors keep their own path (`name[1].selector`).
 */
function oneOrMany<T extends z.ZodType>(schema: T) {
  return z.unknown().transform((value, ctx): z.output<T>[] => {
    const links = Array.isArray(value) ? value : [value];
    if (links.length === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one entry' });
    return links.flatMap((link, index) => {
      const result = schema.safeParse(link, { reportInput: true });
      if (result.success) return [result.data];
      for (const issue of result.error.issues) {
        ctx.addIssue({ ...issue, path: Array.isArray(value) ? [index, ...issue.path] : issue.path } as never);
      }
      return [];
    });
  });
}

const field = oneOrMany(fieldRule);

/** A fixed text, or rules that read it from the page. */
const fixedOrField = z.union([nonEmptyText, field]);

const urlPattern = z.string().refine(isUrlPattern, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a URL pattern: write e.g. "https://crm.example.com/*" or "*.example.com"`,
});

const boardSchema = z
  .strictObject({
    /** Each column is one stage; the rules below read inside it. */
    column: cssSelector,
    stageId: field.optional(),
    stageName: field.optional(),
    card: cssSelector,
    /** Present in a column that holds more cards than it shows. */
    more: cssSelector.optional(),
    fields: z.strictObject({
      id: field,
      name: field,
      amount: field.optional(),
      contact: field.optional(),
      owner: field.optional(),
      /** The deal's creation date as the card shows it. */
      date: field.optional(),
      url: field.optional(),
      /** The card's own stage, for a list where each row says its stage (the column's otherwise). */
      stage: field.optional(),
      stageId: field.optional(),
      company: field.optional(),
      source: field.optional(),
      tags: field.optional(),
    }),
  })
  .superRefine((board, ctx) => {
    if (board.stageName === undefined && board.fields.stage === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['stageName'],
        message: "is required unless fields.stage reads each card's stage",
      });
    }
  });

/** One layout of a deal (its page, its dialog over the board, its edit form). */
const dealLayout = z.strictObject({
  /** The layout applies when this element is on the page, and its rules read inside it. */
  scope: cssSelector.optional(),
  id: field,
  name: field,
  stage: field,
  stageId: field.optional(),
  amount: field.optional(),
  owner: field.optional(),
  createdAt: field.optional(),
  company: field.optional(),
  companyId: field.optional(),
  source: field.optional(),
  tags: field.optional(),
  description: field.optional(),
  contacts: z
    .strictObject({
      item: cssSelector,
      id: field.optional(),
      url: field.optional(),
      name: field,
      phone: field.optional(),
      email: field.optional(),
    })
    .optional(),
  timeline: z
    .strictObject({
      entry: cssSelector,
      date: field,
      newStage: field,
      oldStage: field.optional(),
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
    /**
     * The funnel's id and name: a rule, or a fixed text (`"id": "sales"`); the recipe's own id and
     * label when not given.
     */
    pipeline: z.strictObject({ id: fixedOrField.optional(), name: fixedOrField.optional() }).optional(),
    board: boardSchema.optional(),
    /** One deal layout, or several tried in order (the first whose `scope` is on the page). */
    deal: oneOrMany(dealLayout).optional(),
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

export type Recipe = z.output<typeof recipeSchema>;
export type DealLayout = z.output<typeof dealLayout>;

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
      if (issue.origin === 'number')
        return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}`;
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
