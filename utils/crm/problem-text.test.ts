import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeProblem } from './problem-text';

/** Every problem code the CRM readers (adapters, JSON readers, recipes) can report, from their sources. */
function codesInSources(dir: string): Set<string> {
  const codes = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    const source = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const match of source.matchAll(/code: '([a-z_]+)'/g)) codes.add(match[1] as string);
  }
  // zod's own issue code, in the recipe schema's refinements: not a problem a page shows.
  codes.delete('custom');
  return codes;
}

describe('problem texts', () => {
  it('explain every problem a CRM reader reports, in both languages, never as a bare code', () => {
    const codes = codesInSources(join(import.meta.dirname));
    expect(codes.size).toBeGreaterThan(10);
    for (const code of codes) {
      for (const locale of ['en', 'ru'] as const) {
        const text = describeProblem({ code, field: 'deal.owner', detail: 'x', severity: 'warning' }, locale);
        expect(text, `${code} (${locale})`).not.toContain(code);
      }
    }
  });

  it('name the place a fallback read from', () => {
    const text = describeProblem(
      {
        code: 'fallback_used',
        field: 'deal.stage',
        detail: 'input[name="lead[STATUS]"]',
        severity: 'warning',
      },
      'en',
    );
    expect(text).toContain('deal.stage: read from “input[name="lead[STATUS]"]”');
  });
});
