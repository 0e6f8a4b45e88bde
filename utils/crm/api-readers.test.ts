import { describe, expect, it } from 'vitest';
import { CRMS_READ_BY_API } from './api-read';
import { apiReaders } from './api-readers';

describe('the built-in CRMs read through their endpoints', () => {
  it('are the ones the background reads that way, each with its own reader', () => {
    expect(Object.keys(apiReaders).sort()).toEqual([...CRMS_READ_BY_API].sort());
    for (const [crm, reader] of Object.entries(apiReaders)) expect(reader?.crm).toBe(crm);
  });
});
