/** The built-in CRMs whose deals can be read whole through their own endpoints (crm-markup.md §10). */
import type { ApiReader } from './api-read';

export const apiReaders: Partial<Record<string, ApiReader>> = {};
