import { describe, expect, it } from 'vitest';
import {
  byteChunks,
  chunksToSse,
  loadCassette,
  loadChunks,
  responseText,
} from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { CanonicalResponse } from '../../core/collect-response.js';
import { ResponseCollector } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import { parseSse } from '../shared/sse.js';
import { decodeOpenAIChatStream } from './openai-chat-stream-decoder.js';

interface Decoded {
  events: CanonicalEvent[];
  response: CanonicalResponse;
  error?: unknown;
}

/** Decodes SSE text split into small byte chunks, so chunk boundaries fall anywhere. */
async function decode(sse: string, chunkSize = 7): Promise<Decoded> {
  const events: CanonicalEvent[] = [];
  const collector = new ResponseCollector();
  try {
    for await (const event of decodeOpenAIChatStream(parseSse(byteChunks(sse, chunkSize)), 'test-provider')) {
      events.push(event);
      collector.add(event);
    }
  } catch (error) {
    return { events, response: collector.response, error };
  }
  return { events, response: collector.response };
}

function cassetteSse(file: string, interaction = 0): string {
  return responseText(loadCassette(`openai-chat/${file}`)[interaction]!);
}

/** The text of one delta field across vercel chunks: the oracle for reassembly. */
function joinDeltas(chunks: unknown[], field: string): string {
  let out = '';
  for (const chunk of chunks as Array<{ choices: Array<{ delta: Record<string, unknown> }> }>) {
    for (const choice of chunk.choices) {
      const value = choice.delta[field];
      if (typeof value === 'string') out += value;
    }
  }
  return out;
}

function expectWellOrdered(events: CanonicalEvent[]): void {
  expect(events[0]?.type).toBe('response-start');
  expect(events.at(-1)?.type).toBe('finish');
  expect(events.filter((e) => e.type === 'finish')).toHaveLength(1);
  const usageAt = events.findIndex((e) => e.type === 'usage');
  if (usageAt !== -1) expect(usageAt).toBeLessThan(events.length - 1);
}

describe('decodeOpenAIChatStream on recorded streams', () => {
  it('OpenAI text stream (vercel-openai-text)', async () => {
    const chunks = loadChunks('openai-chat/vercel-openai-text.chunks.txt');
    const { events, response, error } = await decode(chunksToSse(chunks, { done: true }));
    expect(error).toBeUndefined();
    expectWellOrdered(events);
    expect(events[0]).toEqual({
      type: 'response-start',
      id: 'chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0',
      model: 'gpt-4.1-nano-2025-04-14',
      created: 1770933892,
    });
    const text = joinDeltas(chunks, 'content');
    expect(text.startsWith('**Holiday Name:** Harmony Day')).toBe(true);
    expect(response.content).toEqual([{ type: 'text', text }]);
    expect(response.finishReason).toBe('stop');
    expect(response.rawFinishReason).toBe('stop');
    expect(response.usage).toEqual({
      inputTokens: 16,
      outputTokens: 300,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('OpenAI tool call argument deltas, then the tool-result turn (raw SSE)', async () => {
    const first = await decode(cassetteSse('pydantic-ai-openai-stream_tool_call_deltas.yaml', 0), 5);
    expect(first.error).toBeUndefined();
    expectWellOrdered(first.events);
    expect(first.response.content).toEqual([
      {
        type: 'tool-call',
        id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj',
        name: 'get_capital',
        arguments: '{"country":"UK"}',
      },
    ]);
    const types = first.events.map((e) => e.type);
    expect(types.indexOf('tool-call-end')).toBeLessThan(types.indexOf('usage'));
    expect(first.events.filter((e) => e.type === 'tool-call-delta')).toHaveLength(5);
    expect(first.response.finishReason).toBe('tool_calls');
    expect(first.response.usage).toMatchObject({ inputTokens: 53, outputTokens: 15 });

    const second = await decode(cassetteSse('pydantic-ai-openai-stream_tool_call_deltas.yaml', 1), 3);
    expect(second.response.content).toEqual([{ type: 'text', text: 'The capital of the UK is London.' }]);
    expect(second.response.finishReason).toBe('stop');
    expect(second.response.usage).toMatchObject({ inputTokens: 78, outputTokens: 9 });
  });

  it('parallel tool calls keep their ids, names, order and exact arguments', async () => {
    const { events, response, error } = await decode(
      cassetteSse('pydantic-ai-stream_parallel_tool_calls_complex_agent_run.yaml', 0),
      11,
    );
    expect(error).toBeUndefined();
    expectWellOrdered(events);
    expect(events.filter((e) => e.type === 'tool-call-start')).toEqual([
      { type: 'tool-call-start', index: 0, id: 'call_q2UyBRP7eXNTzAoR8lEhjc9Z', name: 'get_country' },
      { type: 'tool-call-start', index: 1, id: 'call_b51ijcpFkDiTQG1bQzsrmtW5', name: 'get_product_name' },
    ]);
    expect(events.filter((e) => e.type === 'tool-call-end')).toEqual([
      { type: 'tool-call-end', index: 0 },
      { type: 'tool-call-end', index: 1 },
    ]);
    expect(response.content).toEqual([
      { type: 'tool-call', id: 'call_q2UyBRP7eXNTzAoR8lEhjc9Z', name: 'get_country', arguments: '{}' },
      { type: 'tool-call', id: 'call_b51ijcpFkDiTQG1bQzsrmtW5', name: 'get_product_name', arguments: '{}' },
    ]);
    expect(response.usage).toMatchObject({ inputTokens: 364, outputTokens: 40 });

    const next = await decode(
      cassetteSse('pydantic-ai-stream_parallel_tool_calls_complex_agent_run.yaml', 1),
    );
    expect(next.response.content).toEqual([
      {
        type: 'tool-call',
        id: 'call_LwxJUB9KppVyogRRLQsamRJv',
        name: 'get_weather',
        arguments: '{"city":"Mexico City"}',
      },
    ]);
  });

  it('DeepSeek reasoning_content, with usage on the finish chunk', async () => {
    const chunks = loadChunks('openai-chat/vercel-deepseek-reasoning.chunks.txt');
    const { events, response, error } = await decode(chunksToSse(chunks, { done: true }));
    expect(error).toBeUndefined();
    expectWellOrdered(events);
    const reasoning = joinDeltas(chunks, 'reasoning_content');
    expect(reasoning.startsWith('We need to count the number of the letter "r"')).toBe(true);
    expect(response.content).toEqual([
      { type: 'reasoning', text: reasoning },
      { type: 'text', text: joinDeltas(chunks, 'content') },
    ]);
    expect(response.content[1]).toMatchObject({ text: expect.stringMatching(/contains three "r"s\.$/) });
    expect(response.usage).toEqual({
      inputTokens: 18,
      outputTokens: 219,
      cachedInputTokens: 0,
      reasoningTokens: 205,
    });
  });

  it('Groq reasoning field', async () => {
    const chunks = loadChunks('openai-chat/vercel-groq-reasoning.chunks.txt');
    const { events, response, error } = await decode(chunksToSse(chunks, { done: true }));
    expect(error).toBeUndefined();
    expectWellOrdered(events);
    const reasoning = joinDeltas(chunks, 'reasoning');
    expect(reasoning.startsWith("Okay, let me try to figure out how many times the letter 'r'")).toBe(true);
    expect(response.content).toEqual([
      { type: 'reasoning', text: reasoning },
      { type: 'text', text: joinDeltas(chunks, 'content') },
    ]);
    expect(response.usage).toEqual({ inputTokens: 17, outputTokens: 1107, reasoningTokens: 963 });
  });

  it('OpenRouter reasoning_details: text counted once, signature kept, comments ignored', async () => {
    const { events, response, error } = await decode(
      cassetteSse('pydantic-ai-openrouter_streaming_reasoning.yaml'),
    );
    expect(error).toBeUndefined();
    expectWellOrdered(events);
    expect(events[0]).toMatchObject({
      id: 'gen-1765226419-AGrwjunAftQIAgweibL8',
      model: 'anthropic/claude-sonnet-4.5',
    });
    const signatures = events.filter((e) => e.type === 'reasoning-signature');
    expect(signatures).toHaveLength(1);
    expect(response.content).toEqual([
      {
        type: 'reasoning',
        text: 'This is a simple arithmetic question. 2+2 equals 4.',
        signature: expect.stringMatching(
          /^Et0BCkgIChACGAIqQA2s7h7tA7IG35fbwVkou9PM2hANVJNUwcEM4q12fTRDK6y3v6Yo.*IcYAQ==$/,
        ),
      },
      { type: 'text', text: '2 + 2 = 4' },
    ]);
    expect(response.finishReason).toBe('stop');
    expect(response.usage).toEqual({
      inputTokens: 43,
      outputTokens: 36,
      cachedInputTokens: 0,
      reasoningTokens: 13,
    });
  });

  it('OpenRouter error object inside a 200 stream: usage emitted, then a classified error', async () => {
    const { events, response, error } = await decode(cassetteSse('pydantic-ai-openrouter_stream_error.yaml'));
    expect(error).toBeInstanceOf(GatewayError);
    const gatewayError = error as GatewayError;
    expect(gatewayError.failureClass).toBe('invalid_request');
    expect(gatewayError.message).toBe('test-provider: Token limit reached');
    expect(gatewayError.provider).toBe('test-provider');
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'We need to respond to a greeting. The user' },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'usage',
      usage: { inputTokens: 43, outputTokens: 10, cachedInputTokens: 0, reasoningTokens: 11 },
    });
    expect(events.some((e) => e.type === 'finish')).toBe(false);
  });

  it('Groq `event: error` mid-stream: tool_use_failed as invalid_request', async () => {
    const { events, error } = await decode(
      cassetteSse('pydantic-ai-groq-tool_use_failed_error_streaming.yaml'),
    );
    expect(error).toBeInstanceOf(GatewayError);
    const gatewayError = error as GatewayError;
    expect(gatewayError.failureClass).toBe('invalid_request');
    expect(gatewayError.code).toBe('tool_use_failed');
    expect(gatewayError.upstreamStatus).toBe(400);
    expect(gatewayError.message).toContain('Tool call validation failed');
    expect(events[0]).toMatchObject({
      type: 'response-start',
      id: 'chatcmpl-4f39f3af-3267-4ac1-a0cf-6aa7451877dc',
    });
    expect(events.some((e) => e.type === 'reasoning-delta')).toBe(true);
    expect(events.some((e) => e.type === 'finish')).toBe(false);
  });
});

describe('decodeOpenAIChatStream edge cases', () => {
  const chunk = (
    delta: Record<string, unknown>,
    finish: string | null = null,
    extra: Record<string, unknown> = {},
  ) =>
    `data: ${JSON.stringify({ id: 'c1', model: 'm', created: 1, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;

  it('reads a plain text chunk quickly but never loses what sits beside the text', async () => {
    // Every chunk after the first has content; all but the plain one carry something else too.
    const sse =
      chunk({ role: 'assistant', content: '' }) +
      chunk({ content: 'plain ' }) +
      chunk({ content: 'a', reasoning_content: 'think' }) +
      chunk({
        content: 'b',
        tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{}' } }],
      }) +
      chunk({ content: [{ type: 'text', text: 'parts' }] }) +
      chunk({ content: 'c' }, null, { usage: { prompt_tokens: 3, completion_tokens: 4 } }) +
      `data: ${JSON.stringify({ choices: [{ index: 1, delta: { content: 'other choice' }, finish_reason: null }] })}\n\n` +
      chunk({}, 'stop') +
      'data: [DONE]\n\n';
    const { events, error } = await decode(sse);
    expect(error).toBeUndefined();
    expect(events.filter((e) => e.type !== 'response-start')).toEqual([
      { type: 'text-delta', text: 'plain ' },
      { type: 'reasoning-delta', text: 'think' },
      { type: 'text-delta', text: 'a' },
      { type: 'text-delta', text: 'b' },
      { type: 'tool-call-start', index: 0, id: 'call_1', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'text-delta', text: 'parts' },
      { type: 'text-delta', text: 'c' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 4 } },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', reason: 'tool_calls', raw: 'stop' },
    ]);
  });

  it('a stream cut before finish_reason and [DONE] is a transient error', async () => {
    const { error, events } = await decode(chunk({ content: 'Hel' }) + chunk({ content: 'lo' }));
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).failureClass).toBe('transient');
    expect(events.map((e) => e.type)).toEqual(['response-start', 'text-delta', 'text-delta']);
  });

  it('finish_reason without [DONE] still finishes; [DONE] without finish_reason finishes as stop', async () => {
    const a = await decode(chunk({ content: 'x' }, 'length'));
    expect(a.error).toBeUndefined();
    expect(a.events.at(-1)).toEqual({ type: 'finish', reason: 'length', raw: 'length' });
    const b = await decode(chunk({ content: 'x' }) + 'data: [DONE]\n\n');
    expect(b.events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('malformed JSON data is a transient error', async () => {
    const { error } = await decode(chunk({ content: 'x' }) + 'data: {"id":\n\n');
    expect((error as GatewayError).failureClass).toBe('transient');
  });

  it('forced tool_choice answered with finish_reason stop still reports tool_calls', async () => {
    const call = { index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } };
    const { response } = await decode(chunk({ tool_calls: [call] }) + chunk({}, 'stop') + 'data: [DONE]\n\n');
    expect(response.finishReason).toBe('tool_calls');
    expect(response.rawFinishReason).toBe('stop');
  });

  it('whole tool calls without `index`, and a name that arrives after the arguments', async () => {
    const sse =
      chunk({
        tool_calls: [
          { id: 'a', function: { name: 'one', arguments: '{}' } },
          { id: 'b', function: { name: 'two', arguments: '{"x":2}' } },
        ],
      }) +
      chunk({ tool_calls: [{ index: 5, id: 'c', function: { arguments: '{"y"' } }] }) +
      chunk({ tool_calls: [{ index: 5, function: { name: 'three', arguments: ':3}' } }] }) +
      chunk({}, 'tool_calls') +
      'data: [DONE]\n\n';
    const { response, events } = await decode(sse);
    expect(response.content).toEqual([
      { type: 'tool-call', id: 'a', name: 'one', arguments: '{}' },
      { type: 'tool-call', id: 'b', name: 'two', arguments: '{"x":2}' },
      { type: 'tool-call', id: 'c', name: 'three', arguments: '{"y":3}' },
    ]);
    expect(
      events.filter((e) => e.type === 'tool-call-end').map((e) => (e as { index: number }).index),
    ).toEqual([0, 1, 2]);
  });

  it('ignores unknown fields, odd field types and chunks with empty choices', async () => {
    const sse =
      chunk({ content: 'a', reasoning: { not: 'a string' }, brand_new: [1] }, null, {
        surprise: true,
        error: null,
      }) +
      `data: ${JSON.stringify({ id: 'c1', choices: [] })}\n\n` +
      chunk({ content: 'b' }, 'stop') +
      'data: [DONE]\n\n';
    const { response, error } = await decode(sse);
    expect(error).toBeUndefined();
    expect(response.content).toEqual([{ type: 'text', text: 'ab' }]);
  });
});

describe('decodeOpenAIChatStream citations (Perplexity)', () => {
  it('the recorded sonar stream: each repeated URL becomes one citation, without indexes', async () => {
    const chunks = loadChunks('openai-chat/vercel-perplexity-citations.chunks.txt');
    const { events, response, error } = await decode(chunksToSse(chunks, { done: true }));
    expect(error).toBeUndefined();
    expectWellOrdered(events);
    expect(response.content).toEqual([{ type: 'text', text: joinDeltas(chunks, 'content') }]);
    expect(response.citations).toEqual([
      { url: 'https://populationstat.com/united-states/san-francisco' },
      { url: 'https://en.wikipedia.org/wiki/San_Francisco' },
      { url: 'https://fred.stlouisfed.org/graph/?g=4K5j' },
      { url: 'https://www.california-demographics.com/cities_by_population' },
      { url: 'https://worldpopulationreview.com/us-cities/california/san-francisco' },
      { url: 'https://worldpopulationreview.com/us-counties/california/san-francisco-county' },
      { url: 'https://www.worldometers.info/world-population/us-population/' },
    ]);
  });

  it('search_results add titles; URLs only there are cited too; junk entries are skipped', async () => {
    const line = (extra: Record<string, unknown>, delta: Record<string, unknown>, finish: string | null) =>
      `data: ${JSON.stringify({ id: 'p', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
    const extra = {
      citations: ['https://a.test', 7, 'https://b.test'],
      search_results: [
        { title: 'B', url: 'https://b.test', date: null },
        { title: 'C', url: 'https://c.test' },
        { title: 'no url' },
        'junk',
      ],
    };
    const sse = `${line(extra, { content: 'x' }, null)}${line(extra, {}, 'stop')}data: [DONE]\n\n`;
    const { response, error } = await decode(sse);
    expect(error).toBeUndefined();
    expect(response.citations).toEqual([
      { url: 'https://a.test' },
      { url: 'https://b.test', title: 'B' },
      { url: 'https://c.test', title: 'C' },
    ]);
  });

  it('recorded OpenAI streams carry no citations', async () => {
    const chunks = loadChunks('openai-chat/vercel-openai-text.chunks.txt');
    const { response } = await decode(chunksToSse(chunks, { done: true }));
    expect(response.citations).toBeUndefined();
  });
});
