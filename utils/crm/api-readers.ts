/** The built-in CRMs whose deals can be read whole through their own endpoints. */
import { amocrmApiReader } from './adapters/amocrm/api';
import { espocrmApiReader } from './adapters/espocrm/api';
import { odooApiReader } from './adapters/odoo/api';
import type { ApiReader } from './api-read';

export const apiReaders: Partial<Record<string, ApiReader>> = {
  [espocrmApiReader.crm]: espocrmApiReader,
  [amocrmApiReader.crm]: amocrmApiReader,
  [odooApiReader.crm]: odooApiReader,
};
