import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { ScrapeContext } from '../../utils/crm/model';

const FIXTURES = join(import.meta.dirname, '../fixtures');

/** A page saved under `tests/fixtures/<folder>/`, parsed as the browser would. */
export function fixturePage(folder: string, name: string): Document {
  const html = readFileSync(join(FIXTURES, folder, `${name}.html`), 'utf8');
  return new DOMParser().parseFromString(html, 'text/html');
}

/** The snapshot beside a fixture page: the context to read it in, and what the adapter must read. */
export function fixtureSnapshot(
  folder: string,
  name: string,
): { context: ScrapeContext } & Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, folder, 'expected', `${name}.json`), 'utf8'));
}

/** A fixture page with its snapshot and the context the snapshot reads it in. */
export function loadFixture(folder: string, name: string) {
  const expected = fixtureSnapshot(folder, name);
  return { document: fixturePage(folder, name), context: expected.context, expected };
}

/** One test per selector, in the fixture page where it must match: a changed layout fails exactly the selectors it broke. */
export function itMatchesSelectors<Key extends string>(
  folder: string,
  selectors: Record<Key, string>,
  fixtureOf: Record<Key, string>,
): void {
  for (const key of Object.keys(selectors) as Key[]) {
    it(`${key} (${selectors[key]}) matches in ${fixtureOf[key]}`, () => {
      expect(fixturePage(folder, fixtureOf[key]).querySelector(selectors[key])).not.toBeNull();
    });
  }
}
