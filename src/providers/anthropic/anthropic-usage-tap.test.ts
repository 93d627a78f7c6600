import { describe, expect, it } from 'vitest';
import { createAnthropicUsageTap } from './anthropic-usage-tap.js';

const encode = (text: string): Uint8Array => Buffer.from(text);
const event = (chunk: Record<string, unknown>): string =>
  `event: ${String(chunk.type)}\ndata: ${JSON.stringify(chunk)}\n\n`;

const START = event({
  type: 'message_start',
  message: { id: 'msg_1', usage: { input_tokens: 12, output_tokens: 1 } },
});

describe('Anthropic fast-path tap', () => {
  it.each([
    ['overloaded_error', 529, 'overloaded'],
    ['api_error', 500, 'transient'],
    ['rate_limit_error', 429, 'rate_limit'],
    ['invalid_request_error', 400, 'invalid_request'],
    ['something_new', 502, 'transient'],
  ])('classes an in-band %s as the HTTP error it stands for', (type, upstreamStatus, failureClass) => {
    const tap = createAnthropicUsageTap(true, 'claude');
    expect(tap.push(encode(START))).toBeUndefined();
    const failure = tap.push(encode(event({ type: 'error', error: { type, message: 'Overloaded' } })));
    expect(failure?.at).toBe(0);
    expect(failure?.error).toMatchObject({ failureClass, upstreamStatus, provider: 'claude' });
  });

  it('holds the opening: message_start, ping and an empty text block start are not content', () => {
    const tap = createAnthropicUsageTap(true, 'claude');
    tap.push(encode(START + event({ type: 'ping' })));
    tap.push(
      encode(event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })),
    );
    expect(tap.started?.()).toBe(false);
    tap.push(
      encode(event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } })),
    );
    expect(tap.started?.()).toBe(true);
  });

  it('a tool call’s start is content', () => {
    const tap = createAnthropicUsageTap(true, 'claude');
    tap.push(encode(START));
    tap.push(
      encode(
        event({
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} },
        }),
      ),
    );
    expect(tap.started?.()).toBe(true);
  });

  it.each([
    [{ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'overloaded', 529],
    [
      { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' }, request_id: 'req_1' },
      'rate_limit',
      429,
    ],
    [{ error: { type: 'api_error', message: 'Internal server error' } }, 'transient', 500],
  ] as const)('a 200 JSON body %j is the %s error it stands for', (body, failureClass, upstreamStatus) => {
    for (const text of [JSON.stringify(body), JSON.stringify(body, null, 2)]) {
      const tap = createAnthropicUsageTap(false, 'claude');
      for (let at = 0; at < text.length; at += 5)
        expect(tap.push(encode(text.slice(at, at + 5)))).toBeUndefined();
      expect(tap.end()?.error).toMatchObject({ failureClass, upstreamStatus, provider: 'claude' });
    }
  });

  it('a 200 JSON message is not an error', () => {
    const tap = createAnthropicUsageTap(false, 'claude');
    tap.push(
      encode(
        JSON.stringify({
          id: 'msg_1',
          type: 'message',
          content: [],
          usage: { input_tokens: 3, output_tokens: 1 },
        }),
      ),
    );
    expect(tap.end()).toBeUndefined();
    expect(tap.usage()).toMatchObject({ inputTokens: 3 });
  });

  it('still reads usage, and without a provider looks for no errors', () => {
    const tap = createAnthropicUsageTap(true);
    expect(tap.started).toBeUndefined();
    tap.push(encode(START));
    expect(tap.usage()).toMatchObject({ inputTokens: 12 });
  });
});
