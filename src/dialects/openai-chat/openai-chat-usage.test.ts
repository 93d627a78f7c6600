import { describe, expect, it } from 'vitest';
import { byteChunks, loadCassette, responseText } from '../../../test/support/fixtures.js';
import { expectValidAgainstSpec } from '../../../test/support/openapi.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { collectResponse } from '../../core/collect-response.js';
import { decodeAnthropicStream } from '../../providers/anthropic/anthropic-stream-decoder.js';
import { parseSse } from '../../providers/shared/sse.js';
import { openAIChatDialect } from './openai-chat-dialect.js';
import { toChatUsage } from './openai-chat-usage.js';

/** A recorded Anthropic answer with extended thinking: its usage has no separate thinking count. */
async function anthropicThinking(): Promise<CanonicalEvent[]> {
  const [interaction] = loadCassette(
    'anthropic-messages/pydantic-ai-anthropic_model_thinking_part_stream.yaml',
  );
  const events: CanonicalEvent[] = [];
  for await (const event of decodeAnthropicStream(parseSse(byteChunks(responseText(interaction!), 64))))
    events.push(event);
  return events;
}

async function* fromArray(events: CanonicalEvent[]): AsyncGenerator<CanonicalEvent> {
  yield* events;
}

const context = { model: 'gw', requestId: 'r1' };

describe('toChatUsage', () => {
  it('reports reasoning tokens only when the provider counted them', () => {
    expect(toChatUsage({ inputTokens: 10, outputTokens: 5, reasoningTokens: 2 })).toEqual({
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 2 },
    });
    // A reported zero is a count, and stays.
    expect(
      toChatUsage({ inputTokens: 1, outputTokens: 1, reasoningTokens: 0 }).completion_tokens_details,
    ).toEqual({
      reasoning_tokens: 0,
    });
    expect(toChatUsage({ inputTokens: 1, outputTokens: 1 })).not.toHaveProperty('completion_tokens_details');
  });

  it('Anthropic thinking (recorded): no made-up reasoning_tokens 0, and the answer is valid per the spec', async () => {
    const events = await anthropicThinking();
    expect(events.some((e) => e.type === 'reasoning-delta')).toBe(true);
    const body = openAIChatDialect.encodeResponse(await collectResponse(fromArray(events)), context) as {
      usage: Record<string, unknown>;
    };
    expectValidAgainstSpec('CreateChatCompletionResponse', body);
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
    expect(body.usage).not.toHaveProperty('completion_tokens_details');

    const decoded = openAIChatDialect.decodeRequest({
      model: 'gw',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const encoder = openAIChatDialect.createStreamEncoder(context, decoded);
    const sse = events.map((event) => encoder.event(event)).join('') + encoder.end();
    const chunks = sse
      .split('\n\n')
      .filter((frame) => frame !== '' && frame !== 'data: [DONE]')
      .map((frame) => JSON.parse(frame.replace(/^data: /, '')) as { usage?: Record<string, unknown> | null });
    const usage = chunks.find((chunk) => chunk.usage)?.usage;
    expect(usage?.completion_tokens).toBe(body.usage.completion_tokens);
    expect(usage).not.toHaveProperty('completion_tokens_details');
    for (const chunk of chunks) expectValidAgainstSpec('CreateChatCompletionStreamResponse', chunk);
  });
});
