import { describe, expect, it } from 'vitest';
import { loadCassette } from '../../../test/support/fixtures.js';
import { MistralToolCallIds, toMistralToolCallId } from './mistral-tool-call-id.js';

describe('toMistralToolCallId', () => {
  it('keeps the ids Mistral itself produced (recorded in the tool_choice cassettes)', () => {
    for (const file of ['auto', 'required', 'tools_plus_output']) {
      const body = loadCassette(`mistral/pydantic-ai-tool_choice_matrix-${file}-mistral.yaml`)[0]!.response
        .parsed_body as { choices: Array<{ message: { tool_calls: Array<{ id: string }> } }> };
      const id = body.choices[0]!.message.tool_calls[0]!.id;
      expect(id).toMatch(/^[A-Za-z0-9]{9}$/);
      expect(toMistralToolCallId(id)).toBe(id);
    }
  });

  it.each([
    'call_q2UyBRP7eXNTzAoR8lEhjc9Z',
    'toolu_01QE1WLsSVp5hy5Q3GmGTmjP',
    'get_weather_9gpb31r7h7mj',
    'abc',
    'abcdefgh!',
  ])('maps %s to 9 letters or digits, the same way every time', (id) => {
    const mapped = toMistralToolCallId(id);
    expect(mapped).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(mapped).not.toBe(id);
    expect(toMistralToolCallId(id)).toBe(mapped);
  });

  it('maps different ids to different ids', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `call_${i}`);
    expect(new Set(ids.map(toMistralToolCallId)).size).toBe(ids.length);
  });
});

describe('MistralToolCallIds', () => {
  it('maps back the ids it mapped, and leaves others alone', () => {
    const ids = new MistralToolCallIds();
    const mapped = ids.toMistral('call_abc');
    expect(ids.fromMistral(mapped)).toBe('call_abc');
    expect(ids.toMistral('gSIMJiOkT')).toBe('gSIMJiOkT');
    expect(ids.fromMistral('gSIMJiOkT')).toBe('gSIMJiOkT');
    expect(ids.fromMistral('unknownId')).toBe('unknownId');
  });
});
