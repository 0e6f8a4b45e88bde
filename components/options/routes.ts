export const SECTIONS = ['connection', 'sites', 'mapping', 'activity', 'backup'] as const;
export type Section = (typeof SECTIONS)[number];

export interface Route {
  section: Section;
  /** `#activity/<jobId>` opens one job. */
  jobId: string | null;
}

export function parseRoute(hash: string): Route {
  const [head = '', ...rest] = hash.replace(/^#/, '').split('/');
  const section = (SECTIONS as readonly string[]).includes(head) ? (head as Section) : 'connection';
  const jobId = section === 'activity' && rest.length > 0 ? decodeURIComponent(rest.join('/')) : null;
  return { section, jobId: jobId || null };
}
