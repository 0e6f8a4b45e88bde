/** The demo CRMs (tests/crm-sites) from the specs and the bench: their control API, and the setup they need. */
import type { Page } from 'playwright-core';
import { DEMO_TIME_ZONE } from '../../demo/data';
import type { RunningCrm } from '../crm-sites/server';
import { connect, message, type Session } from './extension-flows';

/** A control request to the demo CRM (`/__crm/<route>`): a GET, or a POST of `body`. */
export async function crmControl(crm: RunningCrm, route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${crm.origin}/__crm/${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

/**
 * Connected and set up for the demo CRMs as a person would: the zone their pages show times in, and
 * a rate for their USD amounts (the account reports in RUB). Returns the options page.
 */
export async function connectForDemo(session: Session): Promise<Page> {
  const options = await connect(session);
  const settings = await message(options, 'settings.get', {});
  await message(options, 'settings.save', {
    ...settings,
    crmTimeZone: DEMO_TIME_ZONE,
    currencyRates: { ...settings.currencyRates, USD: 90 },
  });
  return options;
}
