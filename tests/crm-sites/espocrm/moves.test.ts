// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPipeline } from '../../../demo/data';
import { type RunningCrm, startCrm } from '../server';

// Its own CRM: these tests change deals, which the other server tests read as generated.
const pipeline = demoPipeline('espocrm');
let espo: RunningCrm;
beforeAll(async () => {
  espo = await startCrm(pipeline);
});
afterAll(() => espo.close());

async function login(): Promise<Record<string, string>> {
  const response = await fetch(`${espo.origin}/`);
  const secret = response.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const html = await response.text();
  const token = /auth-token=(\w+)/.exec(html)?.[1] ?? '';
  return { cookie: `${secret}; auth-token=${token}`, 'X-Requested-With': 'XMLHttpRequest' };
}

const put = (id: string, body: unknown, headers: Record<string, string>) =>
  fetch(`${espo.origin}/api/v1/Opportunity/${id}`, {
    method: 'PUT',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('a person changing a deal’s stage in the demo EspoCRM', () => {
  it('is saved by PUT Opportunity/<id>, noted in the stream at the time it was saved, and shown by the board', async () => {
    const headers = await login();
    const deal = pipeline.deals.find((d) => d.stageId === 'Prospecting')!;
    const before = Date.now();
    const response = await put(deal.id, { stage: 'Negotiation' }, headers);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { stage: string }).stage).toBe('Negotiation');
    const read = (await (
      await fetch(`${espo.origin}/api/v1/Opportunity/${deal.id}`, { headers })
    ).json()) as {
      stage: string;
    };
    expect(read.stage).toBe('Negotiation');
    const stream = (await (
      await fetch(`${espo.origin}/api/v1/Opportunity/${deal.id}/stream`, { headers })
    ).json()) as { list: { type: string; data: { value?: string }; createdAt: string }[] };
    const newest = stream.list[0]!;
    expect(newest).toMatchObject({ type: 'Update', data: { value: 'Negotiation' } });
    const noted = Date.parse(`${newest.createdAt.replace(' ', 'T')}Z`);
    expect(noted).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(noted).toBeLessThanOrEqual(Date.now());
    const board = (await (await fetch(`${espo.origin}/__crm/view?route=Opportunity`)).json()) as {
      html: string;
    };
    const column = /<td class="group-column" data-name="Negotiation">([\s\S]*?)<\/td>/.exec(board.html)?.[1];
    expect(column).toContain(`data-id="${deal.id}"`);
  });

  it('logged out: the client shows the login form and every request is refused, until logged in again', async () => {
    const headers = await login();
    const deal = pipeline.deals[1]!;
    const faults = (body: unknown) =>
      fetch(`${espo.origin}/__crm/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    await faults({ loggedOut: true });
    const view = (await (await fetch(`${espo.origin}/__crm/view?route=Opportunity`)).json()) as {
      html: string;
    };
    expect(view.html).toContain('type="password"');
    expect((await fetch(`${espo.origin}/api/v1/Opportunity/${deal.id}`, { headers })).status).toBe(401);
    await faults({});
    expect((await fetch(`${espo.origin}/api/v1/Opportunity/${deal.id}`, { headers })).status).toBe(200);
  });

  it('refuses a stage EspoCRM does not have, and a request without the session', async () => {
    const headers = await login();
    const deal = pipeline.deals[0]!;
    expect((await put(deal.id, { stage: 'Somewhere' }, headers)).status).toBe(400);
    expect((await put(deal.id, { stage: 'Proposal' }, { 'X-Requested-With': 'XMLHttpRequest' })).status).toBe(
      401,
    );
    const other = await fetch(`${espo.origin}/api/v1/Opportunity/${deal.id}/stream`, {
      method: 'POST',
      headers,
    });
    expect(other.status).toBe(403);
  });
});
