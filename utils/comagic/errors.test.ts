import { describe, expect, it } from 'vitest';
import {
  ComagicError,
  type ComagicErrorInfo,
  classOfCode,
  describeError,
  isComagicError,
  redact,
} from './errors';

const info = (overrides: Partial<ComagicErrorInfo>): ComagicErrorInfo => ({
  class: 'validation',
  code: -32602,
  mnemonic: 'invalid_parameter_value',
  field: null,
  value: null,
  message: 'Invalid value',
  ...overrides,
});

describe('classOfCode', () => {
  it('maps the API code groups to the client classes', () => {
    const codes = [
      -32001, -32003, -32008, -32029, -32602, -32600, -32601, -32099, -32700, -32603, -32004, -32009,
    ];
    expect(codes.map(classOfCode)).toEqual([
      'auth',
      'access',
      'component',
      'rate',
      'validation',
      'validation',
      'validation',
      'validation',
      'validation',
      'transient',
      'fatal',
      'fatal',
    ]);
  });
});

describe('describeError', () => {
  it('names the field and the mnemonic of a validation error, in both languages', () => {
    const error = info({
      field: 'deals.3.stage_ext_id',
      mnemonic: 'entity_not_found',
      message: 'Stage not found',
    });
    expect(describeError(error, 'en')).toBe(
      'CoMagic rejected the data (entity_not_found): Stage not found Field: deals.3.stage_ext_id.',
    );
    expect(describeError(error, 'ru')).toBe(
      'CoMagic отклонил данные (entity_not_found): Stage not found Поле: deals.3.stage_ext_id.',
    );
  });

  it('says a local validation error was not sent', () => {
    const error = info({ code: null, field: 'deals.0.name', message: 'Too small' });
    expect(describeError(error, 'en')).toBe(
      'The data is not valid for CoMagic and was not sent (invalid_parameter_value): Too small Field: deals.0.name.',
    );
  });

  it('gives one text for both spellings of the batch mnemonic', () => {
    const texts = ['batch_opreations_not_supported', 'batch_operations_not_supported'].map((mnemonic) =>
      describeError(info({ code: -32099, mnemonic }), 'en').replace(mnemonic, '…'),
    );
    expect(texts[0]).toContain('several calls in one request');
    expect(texts[1]).toBe(texts[0]);
  });

  it('says when to come back for a rate error with retryAfterMs', () => {
    const error = info({ class: 'rate', code: -32029, mnemonic: 'limit_exceeded', retryAfterMs: 41_200 });
    expect(describeError(error, 'ru')).toBe(
      'Исчерпан лимит запросов к API CoMagic. Повторите попытку позже. Повторите через 42 с.',
    );
  });

  it('has a text for every class in both languages, never an unfilled placeholder', () => {
    for (const errorClass of [
      'auth',
      'access',
      'component',
      'rate',
      'validation',
      'transient',
      'fatal',
    ] as const) {
      for (const locale of ['en', 'ru'] as const) {
        const text = describeError(
          info({ class: errorClass, mnemonic: 'some_mnemonic', field: 'x' }),
          locale,
        );
        expect(text.length).toBeGreaterThan(20);
        expect(text).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('does not take an inherited property name for a known mnemonic', () => {
    expect(describeError(info({ class: 'fatal', code: -32004, mnemonic: 'constructor' }), 'en')).toContain(
      'Unexpected CoMagic error -32004 (constructor)',
    );
  });
});

describe('ComagicError', () => {
  it('carries plain serialisable info and the English text as its message', () => {
    const error = new ComagicError(info({ class: 'transient', code: null, mnemonic: 'timeout' }));
    expect(isComagicError(error)).toBe(true);
    expect(isComagicError(new Error('x'))).toBe(false);
    expect(error.message).toBe('CoMagic did not answer in time. Try again later.');
    expect(JSON.parse(JSON.stringify(error.info))).toEqual(error.info);
  });
});

describe('redact', () => {
  it('hides secrets in the message and the value, and any value of a secret field', () => {
    const secret = 's3cr3t';
    expect(redact(info({ message: `bad ${secret}!`, value: `x${secret}` }), [secret])).toMatchObject({
      message: 'bad ***!',
      value: 'x***',
    });
    expect(redact(info({ field: 'password', value: 'anything' }), [])).toMatchObject({ value: null });
  });
});
