import { describe, expect, it } from 'vitest';
import { Cancellation } from '../../core/cancellation.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import { createEchoAdapter } from './echo-adapter.js';

const echo = createEchoAdapter({ name: 'echo' });
const context = { cancel: new Cancellation(), requestId: 'r', clientHeaders: {} };

function request(overrides: Partial<ProviderRequest>): ProviderRequest {
  return { model: 'echo', upstreamModel: 'echo', stream: false, messages: [], ...overrides };
}

const weatherTool = {
  name: 'get_weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
};

describe('echo provider', () => {
  it('streams back the last user message word by word with usage', async () => {
    const events = [];
    for await (const event of echo.stream(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'first' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'ignored' }] },
          { role: 'user', content: [{ type: 'text', text: 'hello there world' }] },
        ],
      }),
      context,
    )) {
      events.push(event);
    }
    const deltas = events
      .filter((e) => e.type === 'text-delta')
      .map((e) => (e.type === 'text-delta' ? e.text : ''));
    expect(deltas).toEqual(['hello ', 'there ', 'world']);
    const response = await collectResponse(
      echo.stream(
        request({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hello there world' }] }] }),
        context,
      ),
    );
    expect(response.content).toEqual([{ type: 'text', text: 'hello there world' }]);
    expect(response.finishReason).toBe('stop');
    expect(response.usage).toEqual({ inputTokens: 5, outputTokens: 3 });
  });

  it('makes the tool call a /tool command asks for', async () => {
    const response = await collectResponse(
      echo.stream(
        request({
          tools: [weatherTool],
          messages: [
            { role: 'user', content: [{ type: 'text', text: '/tool get_weather {"city":"Paris"}' }] },
          ],
        }),
        context,
      ),
    );
    expect(response.finishReason).toBe('tool_calls');
    expect(response.content).toEqual([
      {
        type: 'tool-call',
        id: expect.stringMatching(/^call_echo_/),
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
      },
    ]);
  });

  it('calls the named tool when tool_choice names one, and never when it is none', async () => {
    const named = await collectResponse(
      echo.stream(
        request({
          tools: [weatherTool],
          toolChoice: { type: 'tool', name: 'get_weather' },
          messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
        }),
        context,
      ),
    );
    expect(named.content[0]).toMatchObject({ type: 'tool-call', name: 'get_weather', arguments: '{}' });
    const none = await collectResponse(
      echo.stream(
        request({
          tools: [weatherTool],
          toolChoice: { type: 'none' },
          messages: [{ role: 'user', content: [{ type: 'text', text: '/tool get_weather {}' }] }],
        }),
        context,
      ),
    );
    expect(none.content).toEqual([{ type: 'text', text: '/tool get_weather {}' }]);
  });

  it('answers a tool result turn with the result', async () => {
    const response = await collectResponse(
      echo.stream(
        request({
          messages: [
            {
              role: 'tool',
              content: [{ type: 'tool-result', toolCallId: 'c', content: [{ type: 'text', text: '22C' }] }],
            },
          ],
        }),
        context,
      ),
    );
    expect(response.content).toEqual([{ type: 'text', text: 'tool result: 22C' }]);
  });

  it('stops at max tokens with finish reason length', async () => {
    const response = await collectResponse(
      echo.stream(
        request({
          maxOutputTokens: 2,
          messages: [{ role: 'user', content: [{ type: 'text', text: 'a b c d' }] }],
        }),
        context,
      ),
    );
    expect(response.content).toEqual([{ type: 'text', text: 'a b ' }]);
    expect(response.finishReason).toBe('length');
  });

  it('refuses a /tool command for a tool the request does not define', async () => {
    const run = collectResponse(
      echo.stream(
        request({
          tools: [weatherTool],
          messages: [{ role: 'user', content: [{ type: 'text', text: '/tool nope {}' }] }],
        }),
        context,
      ),
    );
    await expect(run).rejects.toBeInstanceOf(GatewayError);
  });
});
