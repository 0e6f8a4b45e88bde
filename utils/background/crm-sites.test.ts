import { describe, expect, it } from 'vitest';
import { crmPatterns, siteViews } from './crm-sites';

describe('CRM sites', () => {
  it('are every granted origin but the Data API hosts and the custom endpoint', () => {
    const granted = [
      'https://dataapi.comagic.ru/*',
      'https://dataapi.uiscom.ru/*',
      'https://dataapi.callgear.com/*',
      'https://crm.example.com/*',
      'http://127.0.0.1/*',
      'https://acme.amocrm.ru/*',
    ];
    expect(crmPatterns(granted, 'http://127.0.0.1/*')).toEqual([
      'https://acme.amocrm.ru/*',
      'https://crm.example.com/*',
    ]);
  });

  it('are shown with the adapter their address suggests, a recipe’s label, or none', () => {
    const recipes = [{ label: 'Krayin', urlPatterns: ['https://sales.example.org/*'] }];
    const granted = ['https://acme.amocrm.ru/*', 'https://shop.odoo.com/*', 'https://sales.example.org/*'];
    const views = siteViews(
      [
        ...granted.map((pattern) => ({ pattern, granted: true })),
        { pattern: 'https://crm.example.com/*', granted: false },
      ],
      recipes,
    );
    expect(views.map((view) => [view.origin, view.adapterLabel])).toEqual([
      ['https://acme.amocrm.ru', 'amoCRM / Kommo'],
      ['https://shop.odoo.com', 'Odoo'],
      ['https://sales.example.org', 'Krayin'],
      ['https://crm.example.com', null],
    ]);
    expect(views.map((view) => view.granted)).toEqual([true, true, true, false]);
  });

  it('are shown with the recipe that reads them when the recipe names a port or a path', () => {
    // A site added as http://127.0.0.1:5173 is granted as http://127.0.0.1/* (every port).
    const recipes = [
      { label: 'Twenty', urlPatterns: ['http://127.0.0.1:5173/*'] },
      { label: 'Krayin', urlPatterns: ['crm.example.org/admin/*'] },
    ];
    const views = siteViews(
      ['http://127.0.0.1/*', 'https://crm.example.org/*', 'http://localhost/*'].map((pattern) => ({
        pattern,
        granted: true,
      })),
      recipes,
    );
    expect(views.map((view) => view.adapterLabel)).toEqual(['Twenty', 'Krayin', null]);
  });
});
