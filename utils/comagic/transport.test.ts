import { describe, expect, it } from 'vitest';
import { parseAnswer } from './transport';

const body = (value: unknown) => JSON.stringify(value);

describe('parseAnswer', () => {
  it('takes a result for our id, with or without metadata', () => {
    expect(parseAnswer(body({ jsonrpc: '2.0', id: 'a', result: { data: { count: 1 } } }), 'a')).toEqual({
      ok: true,
      data: { count: 1 },
      metadata: undefined,
    });
  });

  it('reads the error data, and the limits inside it', () => {
    const answer = parseAnswer(
      body({
        jsonrpc: '2.0',
        id: 'a',
        error: {
          code: -32602,
          message: 'Bad',
          data: {
            mnemonic: 'invalid_date_time',
            field: 'deals.0.created_date_time',
            value: 'x',
            metadata: { limits: {} },
          },
        },
      }),
      'a',
    );
    expect(answer).toEqual({
      ok: false,
      error: {
        class: 'validation',
        code: -32602,
        mnemonic: 'invalid_date_time',
        field: 'deals.0.created_date_time',
        value: 'x',
        message: 'Bad',
      },
      metadata: { limits: {} },
    });
  });

  it('accepts an error with id null (a request the API could not read)', () => {
    const answer = parseAnswer(
      body({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }),
      'a',
    );
    expect(answer).toMatchObject({ ok: false, error: { class: 'validation', code: -32700 } });
  });

  it('treats a foreign id, a non-JSON body, or both result and error as transient', () => {
    const mnemonics = [
      body({ jsonrpc: '2.0', id: 'b', result: { data: {} } }),
      '<html>502</html>',
      body({ jsonrpc: '2.0', id: 'a', result: { data: {} }, error: { code: -32603, message: '' } }),
      body({ jsonrpc: '1.0', id: 'a', result: { data: {} } }),
    ].map((text) => {
      const answer = parseAnswer(text, 'a');
      return answer.ok ? 'ok' : `${answer.error.class}:${answer.error.mnemonic}`;
    });
    expect(mnemonics).toEqual([
      'transient:id_mismatch',
      'transient:invalid_response',
      'transient:invalid_response',
      'transient:invalid_response',
    ]);
  });
});
