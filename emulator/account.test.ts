// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { configure } from './control';
import { call, expectError, expectOk, useEmulator } from './testing';

const emulator = useEmulator({ accountName: 'Shop', timezone: 'Asia/Yekaterinburg', reportCurrency: 'KZT' });

describe('getobj.account', () => {
  it('describes the account: name, time zone, report currency and the enabled components', async () => {
    const data = expectOk(await call(emulator(), 'getobj.account'));
    expect(data).toMatchObject({
      app_id: expect.any(Number),
      app_name: 'Shop',
      timezone: 'Asia/Yekaterinburg',
      report_currency: 'KZT',
      components: ['sales_funnel'],
      is_agent_app: false,
    });
  });

  it('lists sales_funnel only while it is enabled, and still answers without it', async () => {
    await configure(emulator().origin, { salesFunnelComponent: false });
    expect(expectOk(await call(emulator(), 'getobj.account'))).toMatchObject({ components: [] });
  });

  it('needs the component «Data API для настройки», as its page says', async () => {
    await configure(emulator().origin, { setupComponent: false });
    const error = expectError(await call(emulator(), 'getobj.account'), 'method_component_disabled');
    expect(error.code).toBe(-32008);
    expectOk(await call(emulator(), 'get.account'));
  });

  it('follows the report currency set at run time', async () => {
    await configure(emulator().origin, { reportCurrency: 'USD' });
    expect(expectOk(await call(emulator(), 'getobj.account'))).toMatchObject({ report_currency: 'USD' });
  });

  it('refuses parameters other than user_id', async () => {
    expectError(await call(emulator(), 'getobj.account', { app_id: 1 }), 'unexpected_parameters', 'app_id');
    expectOk(await call(emulator(), 'getobj.account', { user_id: 5 }));
  });
});

describe('a partner («Агент») account', () => {
  const partner = () => configure(emulator().origin, { partnerUserIds: [501, 502] });

  it('reads a client account through getobj.account with that client user_id', async () => {
    await partner();
    expect(expectOk(await call(emulator(), 'getobj.account', { user_id: 502 }))).toMatchObject({
      app_name: 'Shop',
      user_id: 502,
      is_agent_app: true,
    });
  });

  it('must send user_id, one of its client users, on every method that lists it', async () => {
    await partner();
    expectError(await call(emulator(), 'getobj.account'), 'required_parameter_missed', 'user_id');
    expectError(await call(emulator(), 'get.sales_funnel'), 'required_parameter_missed', 'user_id');
    expectError(await call(emulator(), 'get.deal_contacts', { user_id: 999 }), 'entity_not_found', 'user_id');
    expectOk(await call(emulator(), 'get.deal_contacts', { user_id: 501 }));
  });

  it('cannot use get.account, which the docs offer to client accounts only', async () => {
    await partner();
    const error = expectError(await call(emulator(), 'get.account'), 'forbidden');
    expect(error.code).toBe(-32003);
    await configure(emulator().origin, { partnerUserIds: [] });
    expectOk(await call(emulator(), 'get.account'));
  });
});
