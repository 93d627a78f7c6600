import { describe, expect, it } from 'vitest';
import { stripParams, strippedWarning } from './strip-params.js';

describe('stripParams', () => {
  it('removes present top-level keys and per-message fields, in the order asked, without mutating', () => {
    const messages = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi', name: 'bob' },
    ];
    const body = { model: 'm', messages, seed: 1, logprobs: false, stop: undefined };
    const { body: out, stripped } = stripParams(body, ['messages[].name', 'stop', 'logprobs', 'seed', 'n']);
    expect(stripped).toEqual(['messages[].name', 'logprobs', 'seed']);
    expect(out).toEqual({
      model: 'm',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
      stop: undefined,
    });
    // The caller's objects are unchanged and unshared where they changed.
    expect(body.messages[1]).toEqual({ role: 'user', content: 'hi', name: 'bob' });
    expect(out.messages).not.toBe(messages);
  });

  it('returns the same body when nothing applies', () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
    const result = stripParams(body, ['messages[].name', 'seed']);
    expect(result.body).toBe(body);
    expect(result.stripped).toEqual([]);
  });

  it('formats the x-junction-warning text', () => {
    expect(strippedWarning('groq', ['seed', 'logprobs'])).toBe(
      'stripped unsupported parameter(s) for groq: seed, logprobs',
    );
  });
});
