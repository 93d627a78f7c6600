import { describe, expect, it } from 'vitest';
import { byteChunks, loadCassette, loadJson } from '../../../test/support/fixtures.js';
import type { CanonicalResponse } from '../../core/collect-response.js';
import { collectResponse } from '../../core/collect-response.js';
import { decodeAnthropicStream } from '../../providers/anthropic/anthropic-stream-decoder.js';
import { parseSse } from '../../providers/shared/sse.js';
import { encodeAnthropicMessage } from './anthropic-messages-response.js';
import { toToolInput } from './anthropic-messages-tool-input.js';

const DIR = 'anthropic-messages';
type Json = Record<string, unknown>;

/**
 * A recorded non-stream message read by the real Anthropic provider decoder: the whole message rides in
 * message_start (the decoder's path for turns that arrive complete), so no hand mapping is involved.
 */
async function canonicalOf(message: Json): Promise<CanonicalResponse> {
  const sse =
    `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message })}\n\n` +
    'event: message_stop\ndata: {"type":"message_stop"}\n\n';
  return collectResponse(decodeAnthropicStream(parseSse(byteChunks(sse, 64))));
}

function cassetteMessages(file: string): Json[] {
  return loadCassette(`${DIR}/${file}`)
    .filter(
      (interaction) =>
        interaction.response.status.code === 200 &&
        interaction.request.uri.endsWith('/v1/messages?beta=true'),
    )
    .map((interaction) => interaction.response.parsed_body as Json)
    .filter((body) => body?.type === 'message');
}

const recorded: Array<[string, Json]> = [
  ['vercel-anthropic-text.json', loadJson(`${DIR}/vercel-anthropic-text.json`) as Json],
  ['vercel-anthropic-tool-no-args.json', loadJson(`${DIR}/vercel-anthropic-tool-no-args.json`) as Json],
  ['vercel-anthropic-json-tool.1.json', loadJson(`${DIR}/vercel-anthropic-json-tool.1.json`) as Json],
  [
    'vercel-anthropic-json-output-format.1.json',
    loadJson(`${DIR}/vercel-anthropic-json-output-format.1.json`) as Json,
  ],
  ...[
    'pydantic-ai-anthropic_tool_with_thinking.yaml',
    'pydantic-ai-anthropic_model_thinking_part.yaml',
    'pydantic-ai-anthropic_model_thinking_part_redacted.yaml',
    'pydantic-ai-anthropic-multiple_parallel_tool_calls.yaml',
    'pydantic-ai-anthropic_cache_real_api.yaml',
    'pydantic-ai-anthropic_opus_46_features-adaptive-thinking.yaml',
  ].flatMap((file) => cassetteMessages(file).map((message, i): [string, Json] => [`${file}#${i}`, message])),
];

describe('encodeAnthropicMessage against recorded Anthropic messages', () => {
  it.each(recorded)('%s', async (_name, message) => {
    const response = await canonicalOf(message);
    const encoded = encodeAnthropicMessage(response, { model: 'my-alias', requestId: 'req_1' });
    // Same keys as Anthropic's message (vercel's json-tool recording lost its `stop_sequence: null`), all
    // with the recorded values except the client-facing model.
    const keys = new Set([...Object.keys(message), 'stop_sequence']);
    for (const key of Object.keys(encoded)) expect(keys).toContain(key);
    expect(encoded).toEqual({
      id: message.id,
      type: 'message',
      role: 'assistant',
      model: 'my-alias',
      content: message.content,
      stop_reason: message.stop_reason,
      stop_sequence: null,
      usage: {
        input_tokens: (message.usage as Json).input_tokens,
        output_tokens: (message.usage as Json).output_tokens,
        cache_read_input_tokens: (message.usage as Json).cache_read_input_tokens,
        cache_creation_input_tokens: (message.usage as Json).cache_creation_input_tokens,
      },
    });
  });

  it('covers thinking, redacted thinking, parallel tool calls and cache usage among the recordings', async () => {
    const blockTypes = new Set(recorded.flatMap(([, m]) => (m.content as Json[]).map((b) => b.type)));
    expect([...blockTypes].sort()).toEqual(['redacted_thinking', 'text', 'thinking', 'tool_use']);
    const cached = recorded.find(([, m]) => ((m.usage as Json).cache_creation_input_tokens as number) > 0)!;
    const usage = (await canonicalOf(cached[1])).usage!;
    expect(usage).toMatchObject({
      inputTokens: 3 + 1111 + 418,
      cachedInputTokens: 1111,
      cacheWriteTokens: 418,
    });
  });
});

describe('encodeAnthropicMessage from other providers', () => {
  it('prefixes foreign ids, maps finish reasons, signs unsigned reasoning with an empty signature', () => {
    const response: CanonicalResponse = {
      id: 'chatcmpl-9',
      content: [
        { type: 'reasoning', text: 'thought' },
        { type: 'text', text: 'hi' },
        { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"a":1}' },
      ],
      finishReason: 'tool_calls',
      rawFinishReason: 'tool_calls',
      usage: { inputTokens: 10, outputTokens: 4, cachedInputTokens: 6 },
    };
    expect(encodeAnthropicMessage(response, { model: 'gpt', requestId: 'r' })).toEqual({
      id: 'msg_chatcmpl-9',
      type: 'message',
      role: 'assistant',
      model: 'gpt',
      content: [
        { type: 'thinking', thinking: 'thought', signature: '' },
        { type: 'text', text: 'hi' },
        { type: 'tool_use', id: 'call_1', name: 'f', input: { a: 1 } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: {
        input_tokens: 4,
        cache_read_input_tokens: 6,
        cache_creation_input_tokens: 0,
        output_tokens: 4,
      },
    });
  });

  it.each([
    ['stop', undefined, 'end_turn'],
    ['stop', 'stop_sequence', 'stop_sequence'],
    ['length', 'MAX_TOKENS', 'max_tokens'],
    ['tool_calls', undefined, 'tool_use'],
    ['content_filter', 'SAFETY', 'refusal'],
    ['other', 'pause_turn', 'pause_turn'],
    ['other', 'function_call', 'end_turn'],
  ] as const)('finish %s (raw %s) -> stop_reason %s', (finishReason, raw, expected) => {
    const encoded = encodeAnthropicMessage(
      { content: [], finishReason, ...(raw ? { rawFinishReason: raw } : {}) },
      { model: 'm', requestId: 'r' },
    );
    expect(encoded.stop_reason).toBe(expected);
    expect(encoded.id).toBe('msg_r');
    expect(encoded.usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    });
  });

  it.each([
    ['', {}],
    ['{"city":"Paris"}', { city: 'Paris' }],
    ['{"city":', { _raw: '{"city":' }],
    ['[1,2]', { _raw: '[1,2]' }],
  ])('tool arguments %j -> input %j', (text, input) => {
    expect(toToolInput(text)).toEqual(input);
  });
});
