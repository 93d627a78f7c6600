import { describe, expect, it } from 'vitest';
import {
  byteChunks,
  chunksToSse,
  loadCassette,
  loadChunks,
  loadJson,
  responseText,
} from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { collectResponse } from '../../core/collect-response.js';
import { parseSse } from '../shared/sse.js';
import { decodeMistralStream, normalizeChunk } from './mistral-stream-decoder.js';
import { MistralToolCallIds } from './mistral-tool-call-id.js';

async function collectEvents(sse: string, ids?: MistralToolCallIds): Promise<CanonicalEvent[]> {
  const events: CanonicalEvent[] = [];
  for await (const event of decodeMistralStream(parseSse(byteChunks(sse, 11)), { ids })) events.push(event);
  return events;
}

async function* fromArray(events: CanonicalEvent[]): AsyncGenerator<CanonicalEvent> {
  yield* events;
}

const chunks = (file: string) => chunksToSse(loadChunks(`mistral/${file}`));

describe('decodeMistralStream on recorded streams', () => {
  it('text', async () => {
    const events = await collectEvents(chunks('vercel-mistral-text.chunks.txt'));
    expect(events[0]).toEqual({
      type: 'response-start',
      id: '5319bd0299614c679a0068a4f2c8ffd0',
      model: 'mistral-small-latest',
      created: 1769088720,
    });
    const response = await collectResponse(fromArray(events));
    expect(response.content).toEqual([{ type: 'text', text: 'Hello, world! This is a test response.' }]);
    expect(response.usage).toEqual({ inputTokens: 13, outputTokens: 8 });
    expect(response.finishReason).toBe('stop');
  });

  it('magistral reasoning chunks (vercel): thinking becomes reasoning, text stays text', async () => {
    const response = await collectResponse(
      fromArray(await collectEvents(chunks('vercel-mistral-reasoning.chunks.txt'))),
    );
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'The user is asking for 2+2. This is basic arithmetic. 2+2=4.' },
      { type: 'text', text: '2 + 2 = 4' },
    ]);
    expect(response.usage).toEqual({ inputTokens: 10, outputTokens: 46 });
    // The non-stream answer to the same request holds the same reasoning and text.
    const body = loadJson('mistral/vercel-mistral-reasoning.json') as Record<string, unknown>;
    normalizeChunk(body);
    expect((body.choices as Array<{ message: unknown }>)[0]!.message).toMatchObject({
      content: '2 + 2 = 4',
      reasoning_content: 'The user is asking for 2+2. This is basic arithmetic. 2+2=4.',
    });
  });

  it('magistral raw SSE, byte-exact from the cassette, with [DONE] (mistral_model_thinking_part_iter)', async () => {
    const sse = responseText(loadCassette('mistral/pydantic-ai-mistral_model_thinking_part_iter.yaml')[0]!);
    const response = await collectResponse(fromArray(await collectEvents(sse)));
    expect(response.content).toEqual([
      {
        type: 'reasoning',
        text: 'Okay, the user is asking how to cross the street. I know that crossing the street safely involves a few key steps: first, look both ways to check for oncoming traffic; second, use a crosswalk if one is available; third, obey any traffic signals or signs that may be present; and finally, proceed with caution until you have safely reached the other side. Let me compile this information into a clear and concise response.',
      },
      {
        type: 'text',
        text: 'To cross the street safely, follow these steps:\n\n1. Look both ways to check for oncoming traffic.\n2. Use a crosswalk if one is available.\n3. Obey any traffic signals or signs that may be present.\n4. Proceed with caution until you have safely reached the other side.\n\n```markdown\nTo cross the street safely, follow these steps:\n\n1. Look both ways to check for oncoming traffic.\n2. Use a crosswalk if one is available.\n3. Obey any traffic signals or signs that may be present.\n4. Proceed with caution until you have safely reached the other side.\n```\n\nBy following these steps, you can ensure a safe crossing.',
      },
    ]);
    expect(response.id).toBe('9f9d90210f194076abeee223863eaaf0');
    expect(response.usage).toEqual({ inputTokens: 10, outputTokens: 232 });
    expect(response.finishReason).toBe('stop');
  });

  it('a whole tool call in one chunk', async () => {
    const events = await collectEvents(chunks('vercel-mistral-tool-call.chunks.txt'));
    expect(events.filter((e) => e.type.startsWith('tool-call'))).toEqual([
      { type: 'tool-call-start', index: 0, id: 'gSIMJiOkT', name: 'weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location": "San Francisco"}' },
      { type: 'tool-call-end', index: 0 },
    ]);
    const response = await collectResponse(fromArray(events));
    expect(response.finishReason).toBe('tool_calls');
    expect(response.usage).toEqual({ inputTokens: 124, outputTokens: 22 });
  });

  it('incremental tool call arguments with cached prompt tokens', async () => {
    const response = await collectResponse(
      fromArray(await collectEvents(chunks('vercel-mistral-incremental-tool-call.chunks.txt'))),
    );
    expect(response.content).toEqual([
      {
        type: 'tool-call',
        id: 'chatcmpl-tool-9f149c74c42f265b',
        name: 'webSearchTool',
        arguments: '{"query": "current Berlin weather"}',
      },
    ]);
    expect(response.usage).toEqual({ inputTokens: 171, outputTokens: 14, cachedInputTokens: 128 });
  });

  it('maps a tool call id this request mapped back to the client id', async () => {
    const ids = new MistralToolCallIds();
    const mapped = ids.toMistral('call_q2UyBRP7eXNTzAoR8lEhjc9Z');
    const sse = chunks('vercel-mistral-tool-call.chunks.txt').replace('gSIMJiOkT', mapped);
    const events = await collectEvents(sse, ids);
    expect(events.find((e) => e.type === 'tool-call-start')).toMatchObject({
      id: 'call_q2UyBRP7eXNTzAoR8lEhjc9Z',
    });
  });
});

describe('normalizeChunk', () => {
  it('reads usage.num_cached_tokens as the cached prompt tokens (tool_choice_matrix auto)', () => {
    const body = loadCassette('mistral/pydantic-ai-tool_choice_matrix-auto-mistral.yaml')[0]!.response
      .parsed_body as Record<string, unknown>;
    expect(normalizeChunk(structuredClone(body))).toBe(true);
    const copy = structuredClone(body);
    normalizeChunk(copy);
    expect(copy.usage).toMatchObject({ prompt_tokens: 77, prompt_tokens_details: { cached_tokens: 76 } });
  });

  it('keeps prompt_tokens_details.cached_tokens when Mistral sends it (history_uses_prompt_cache)', () => {
    const body = loadCassette('mistral/pydantic-ai-mistral_history_uses_prompt_cache.yaml')[1]!.response
      .parsed_body as Record<string, unknown>;
    const copy = structuredClone(body);
    expect(normalizeChunk(copy)).toBe(false);
    expect(copy.usage).toMatchObject({ prompt_tokens_details: { cached_tokens: 224 } });
  });

  it('leaves unknown chunk types in content out of the text', () => {
    const chunk = {
      choices: [
        {
          delta: {
            content: [
              { type: 'reference', reference_ids: [1] },
              { type: 'text', text: 'a' },
              { type: 'thinking', thinking: 'b' },
            ],
          },
        },
      ],
    };
    normalizeChunk(chunk);
    expect(chunk.choices[0]!.delta).toEqual({ content: 'a', reasoning_content: 'b' });
  });
});
