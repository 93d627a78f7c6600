import { describe, expect, it } from 'vitest';
import { loadCassette, requestJson } from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import { openAIChatDialect } from './openai-chat-dialect.js';

function decodeError(body: unknown): GatewayError {
  try {
    openAIChatDialect.decodeRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected decodeRequest to fail');
}

async function* fromArray(events: CanonicalEvent[]): AsyncGenerator<CanonicalEvent> {
  yield* events;
}

describe('openai-chat decodeRequest on recorded requests', () => {
  const cases = [
    'openai-chat/pydantic-ai-openai_tool_output.yaml',
    'openai-chat/pydantic-ai-openai_native_output.yaml',
    'openai-chat/pydantic-ai-openai-stream_tool_call_deltas.yaml',
    'openai-chat/pydantic-ai-stream_parallel_tool_calls_complex_agent_run.yaml',
    'openai-chat/pydantic-ai-openai-image_url_tool_response.yaml',
    'openai-chat/pydantic-ai-openai_instructions.yaml',
  ];
  for (const file of cases) {
    it(`decodes every request of ${file}`, () => {
      for (const interaction of loadCassette(file)) {
        const body = requestJson(interaction);
        const decoded = openAIChatDialect.decodeRequest(body);
        expect(decoded.canonical.model).toBe(body.model);
        expect(decoded.canonical.messages).toHaveLength((body.messages as unknown[]).length);
        expect(decoded.canonical.tools?.length ?? 0).toBe((body.tools as unknown[] | undefined)?.length ?? 0);
      }
    });
  }

  it('keeps tool calls and tool results with their ids', () => {
    const [, second] = loadCassette('openai-chat/pydantic-ai-openai_tool_output.yaml');
    const body = requestJson(second!);
    const { canonical } = openAIChatDialect.decodeRequest(body);
    const messages = body.messages as Array<Record<string, unknown>>;
    const assistantIndex = messages.findIndex((m) => m.role === 'assistant');
    const recordedCall = (
      messages[assistantIndex]!.tool_calls as Array<{
        id: string;
        function: { name: string; arguments: string };
      }>
    )[0]!;
    const assistant = canonical.messages[assistantIndex]!;
    expect(assistant.role).toBe('assistant');
    expect(assistant.content).toContainEqual({
      type: 'tool-call',
      id: recordedCall.id,
      name: recordedCall.function.name,
      arguments: recordedCall.function.arguments,
    });
    const tool = canonical.messages[assistantIndex + 1]!;
    expect(tool.role).toBe('tool');
    expect(tool.content[0]).toMatchObject({ type: 'tool-result', toolCallId: recordedCall.id });
  });

  it('maps json_schema response_format, max_completion_tokens and reasoning_effort', () => {
    const { canonical } = openAIChatDialect.decodeRequest({
      model: 'm',
      messages: [
        { role: 'developer', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'out', schema: { type: 'object' }, strict: true },
      },
      max_completion_tokens: 100,
      max_tokens: 5,
      reasoning_effort: 'high',
      stop: 'END',
    });
    expect(canonical.messages[0]).toEqual({ role: 'system', content: [{ type: 'text', text: 'be brief' }] });
    expect(canonical.responseFormat).toEqual({
      type: 'json_schema',
      name: 'out',
      schema: { type: 'object' },
      strict: true,
    });
    expect(canonical.maxOutputTokens).toBe(100);
    expect(canonical.reasoning).toEqual({ mode: 'enabled', effort: 'high' });
    expect(canonical.stop).toEqual(['END']);
  });

  it('decodes data-URL images and reasoning_details with signatures', () => {
    const { canonical } = openAIChatDialect.decodeRequest({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }],
        },
        {
          role: 'assistant',
          content: 'ok',
          reasoning_details: [{ type: 'reasoning.text', text: 'thinking', signature: 'sig-1' }],
          tool_calls: [
            {
              id: 'c1',
              type: 'function',
              function: { name: 'f', arguments: '{}' },
              extra_content: { google: { thought_signature: 'ts' } },
            },
          ],
        },
      ],
    });
    expect(canonical.messages[0]!.content[0]).toEqual({
      type: 'image',
      source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
    });
    expect(canonical.messages[1]!.content).toEqual([
      { type: 'reasoning', text: 'thinking', signature: 'sig-1' },
      { type: 'text', text: 'ok' },
      {
        type: 'tool-call',
        id: 'c1',
        name: 'f',
        arguments: '{}',
        providerData: { gemini: { thoughtSignature: 'ts' } },
      },
    ]);
  });

  it('lists fields it cannot model, and ignores OpenAI-only hints', () => {
    const decoded = openAIChatDialect.decodeRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      logprobs: true,
      store: true,
      x_custom_field: { a: 1 },
      n: 2,
    });
    expect(decoded.unmodeled.sort()).toEqual(['logprobs', 'n', 'x_custom_field']);
  });

  it('fields set to the OpenAI default ask for nothing: not refused, not carried', () => {
    const decoded = openAIChatDialect.decodeRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      presence_penalty: 0,
      frequency_penalty: 0,
      modalities: ['text'],
    });
    expect(decoded.unmodeled).toEqual([]);
    expect(decoded.canonical.presencePenalty).toBeUndefined();
    expect(decoded.canonical.frequencyPenalty).toBeUndefined();
  });

  it('nonzero penalties are carried for providers to translate or refuse; other modalities stay unmodeled', () => {
    const decoded = openAIChatDialect.decodeRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      presence_penalty: 0.5,
      frequency_penalty: -1.25,
      modalities: ['text', 'audio'],
    });
    expect(decoded.canonical).toMatchObject({ presencePenalty: 0.5, frequencyPenalty: -1.25 });
    expect(decoded.unmodeled).toEqual(['modalities']);
    expect(
      decodeError({ model: 'm', messages: [{ role: 'user', content: 'x' }], presence_penalty: 3 }).param,
    ).toBe('presence_penalty');
  });
});

describe('openai-chat request validation', () => {
  it.each([
    [{ messages: [{ role: 'user', content: 'x' }] }, 'model'],
    [{ model: 'm', messages: 'x' }, 'messages'],
    [{ model: 'm', messages: [] }, 'messages'],
    [{ model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 5 }, 'temperature'],
    [
      { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', txt: 'x' }] }] },
      'messages[0].content[0].text',
    ],
    [{ model: 'm', messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
    [{ model: 'm', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
  ])('rejects %j naming %s', (body, param) => {
    const error = decodeError(body);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toContain(param);
  });

  it('rejects a malformed image data URL with the part path', () => {
    const error = decodeError({
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:nope' } }] }],
    });
    expect(error.param).toBe('messages[0].content[0]');
  });
});

describe('openai-chat encoding', () => {
  const events: CanonicalEvent[] = [
    { type: 'response-start', id: 'msg_1', model: 'claude', created: 1700000000 },
    { type: 'reasoning-delta', text: 'Let me ' },
    { type: 'reasoning-delta', text: 'think.' },
    { type: 'reasoning-signature', signature: 'SIG' },
    { type: 'text-delta', text: 'Hello' },
    { type: 'tool-call-start', index: 0, id: 'toolu_1', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
    { type: 'tool-call-end', index: 0 },
    { type: 'usage', usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 4, reasoningTokens: 2 } },
    { type: 'finish', reason: 'tool_calls', raw: 'tool_use' },
  ];

  it('encodes a collected response as chat.completion', async () => {
    const response = await collectResponse(fromArray(events));
    const body = openAIChatDialect.encodeResponse(response, { model: 'default', requestId: 'r1' }) as Record<
      string,
      unknown
    >;
    expect(body).toMatchObject({
      id: 'chatcmpl-msg_1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'default',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: 'Hello',
            reasoning_content: 'Let me think.',
            reasoning_details: [
              { type: 'reasoning.text', index: 0, text: 'Let me think.', signature: 'SIG' },
            ],
            tool_calls: [
              {
                id: 'toolu_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
            ],
          },
        },
      ],
      usage: {
        prompt_tokens: 10,
        completion_tokens: 5,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 2 },
      },
    });
  });

  it('streams chunks with a role chunk, indexed tool deltas, finish, usage and [DONE]', () => {
    const decoded = openAIChatDialect.decodeRequest({
      model: 'default',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const encoder = openAIChatDialect.createStreamEncoder({ model: 'default', requestId: 'r1' }, decoded);
    const sse = events.map((event) => encoder.event(event)).join('') + encoder.end();
    const frames = sse.split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toBe('data: [DONE]');
    const chunks = frames
      .slice(0, -1)
      .map((frame) => JSON.parse(frame.replace(/^data: /, '')) as Record<string, unknown>);
    for (const chunk of chunks)
      expect(chunk).toMatchObject({
        id: 'chatcmpl-msg_1',
        object: 'chat.completion.chunk',
        model: 'default',
      });
    const deltas = chunks.flatMap((chunk) =>
      (chunk.choices as Array<{ delta: Record<string, unknown> }>).map((c) => c.delta),
    );
    expect(deltas[0]).toEqual({ role: 'assistant', content: '' });
    expect(deltas.map((d) => d.content ?? '').join('')).toBe('Hello');
    expect(deltas.map((d) => d.reasoning_content ?? '').join('')).toBe('Let me think.');
    const toolDeltas = deltas.flatMap(
      (d) => (d.tool_calls as Array<Record<string, unknown>> | undefined) ?? [],
    );
    expect(toolDeltas[0]).toEqual({
      index: 0,
      id: 'toolu_1',
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(
      toolDeltas
        .slice(1)
        .map((d) => (d.function as { arguments: string }).arguments)
        .join(''),
    ).toBe('{"city":"Paris"}');
    const finish = chunks.find(
      (chunk) => (chunk.choices as Array<{ finish_reason: string | null }>)[0]?.finish_reason,
    );
    expect((finish!.choices as Array<{ finish_reason: string }>)[0]!.finish_reason).toBe('tool_calls');
    const usageChunk = chunks.at(-1)!;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
  });

  it('omits the usage chunk unless include_usage was asked', () => {
    const decoded = openAIChatDialect.decodeRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const encoder = openAIChatDialect.createStreamEncoder({ model: 'm', requestId: 'r' }, decoded);
    const sse = events.map((event) => encoder.event(event)).join('') + encoder.end();
    expect(sse).not.toContain('"usage"');
  });

  it('renders errors in the OpenAI envelope with retry headers', () => {
    const rendered = openAIChatDialect.renderError(
      new GatewayError('rate_limit', 'slow down', {
        retryAfterMs: 2500,
        provider: 'oai',
        upstreamStatus: 429,
      }),
    );
    expect(rendered.status).toBe(429);
    expect(rendered.headers).toEqual({ 'retry-after': '3', 'retry-after-ms': '2500' });
    expect(rendered.body).toEqual({
      error: { message: 'slow down', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' },
    });
    expect(
      openAIChatDialect.renderError(new GatewayError('overloaded', 'busy', { status: 529 })).status,
    ).toBe(503);
  });
});
