import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chunksToSse, fixturePath, loadChunks } from '../../../test/support/fixtures.js';
import { expectValidAgainstSpec } from '../../../test/support/openapi.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { GatewayError } from '../../core/errors.js';
import { decodeOpenAIResponsesStream } from '../../providers/openai/openai-responses-stream-decoder.js';
import { parseSse } from '../../providers/shared/sse.js';
import { openAIResponsesDialect } from './openai-responses-dialect.js';
import type { ResponseStreamEvent } from './openai-responses-event-builder.js';
import { replayStoredEvents } from './openai-responses-stream-encoder.js';

type Json = Record<string, unknown>;

async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

/** Parses SSE text back into events, checking the `event:` line matches the payload type. */
function parseFrames(sse: string): ResponseStreamEvent[] {
  return sse
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      const event = JSON.parse(dataLine!.replace(/^data: /, '')) as ResponseStreamEvent;
      expect(eventLine).toBe(`event: ${event.type}`);
      return event;
    });
}

function recordedStreams(): Array<{ name: string; chunks: Json[] }> {
  const files = readdirSync(fixturePath('openai-responses')).filter((f) => f.endsWith('.chunks.txt'));
  const streams: Array<{ name: string; chunks: Json[] }> = [];
  for (const file of files) {
    let current: Json[] = [];
    let turn = 0;
    for (const chunk of loadChunks(`openai-responses/${file}`) as Json[]) {
      if (chunk.type === 'response.created' && current.length > 0) {
        streams.push({ name: `${file}#${turn++}`, chunks: current });
        current = [];
      }
      current.push(chunk);
    }
    streams.push({ name: `${file}#${turn}`, chunks: current });
  }
  // Hand-edited: its text deltas do not add up to its final text.
  return streams.filter(
    ({ name, chunks }) =>
      name !== 'vercel-openai-shell-container.1.chunks.txt#0' &&
      chunks.some((c) => c.type === 'response.completed'),
  );
}

async function canonicalEventsOf(chunks: Json[]): Promise<CanonicalEvent[]> {
  const events: CanonicalEvent[] = [];
  const sse = chunksToSse(chunks, { withEventNames: true });
  for await (const event of decodeOpenAIResponsesStream(parseSse(fromArray([sse])))) events.push(event);
  return events;
}

function encode(events: CanonicalEvent[], body: Json = { model: 'gpt-test', input: 'hi', stream: true }) {
  const decoded = openAIResponsesDialect.decodeRequest(body);
  const encoder = openAIResponsesDialect.createStreamEncoder(
    { model: 'gpt-test', requestId: 'req_1' },
    decoded,
  );
  const sse = events.map((event) => encoder.event(event)).join('') + encoder.end();
  return { encoder, sse, frames: parseFrames(sse) };
}

/** What a Responses stream says, by item kind: used to compare a recording with Junction's re-encoding. */
function summarize(items: Json[]) {
  return {
    text: items
      .filter((i) => i.type === 'message')
      .flatMap((i) => i.content as Json[])
      .map((p) => p.text ?? p.refusal)
      .join(''),
    calls: items
      .filter((i) => i.type === 'function_call')
      .map((i) => ({ call_id: i.call_id, name: i.name, arguments: i.arguments })),
    reasoning: items
      .filter((i) => i.type === 'reasoning')
      .map((i) => {
        const summary = (i.summary as Json[]).map((p) => p.text).join('\n\n');
        return summary || ((i.content as Json[] | undefined) ?? []).map((p) => p.text).join('');
      })
      .join(''),
    encrypted: items
      .filter((i) => i.type === 'reasoning' && i.encrypted_content)
      .map((i) => i.encrypted_content),
  };
}

describe('openai-responses stream encoder: recorded streams re-encoded', () => {
  const streams = recordedStreams();

  it('covers the recordings', () => {
    expect(streams.length).toBeGreaterThanOrEqual(45);
  });

  for (const { name, chunks } of streams) {
    it(`re-encodes ${name} into a valid, equivalent stream`, async () => {
      const { frames, encoder } = encode(await canonicalEventsOf(chunks));
      // Every event validates against the spec; sequence numbers count up from 0.
      for (const frame of frames) expectValidAgainstSpec('ResponseStreamEvent', frame);
      expect(frames.map((f) => f.sequence_number)).toEqual(frames.map((_, i) => i));
      expect(frames[0]!.type).toBe('response.created');
      expect(frames[1]!.type).toBe('response.in_progress');
      expect(frames.at(-1)!.type).toBe('response.completed');

      // Same content as the recording: text, function calls, reasoning summaries, encrypted_content.
      const recordedDone = chunks
        .filter((c) => c.type === 'response.output_item.done')
        .map((c) => c.item as Json);
      const recordedFinal = (chunks.at(-1)!.response ?? {}) as Json;
      const ownDone = frames.filter((f) => f.type === 'response.output_item.done').map((f) => f.item as Json);
      expect(summarize(ownDone)).toEqual(summarize(recordedDone));
      const final = frames.at(-1)!.response as Json;
      expectValidAgainstSpec('Response', final);
      expect(final.status).toBe(recordedFinal.status);
      expect(summarize(final.output as Json[])).toEqual(summarize(recordedDone));
      const usage = recordedFinal.usage as Json;
      expect(final.usage).toMatchObject({
        input_tokens: usage.input_tokens,
        output_tokens: usage.output_tokens,
        total_tokens: usage.total_tokens,
      });
      // The encoder exposes what the store keeps.
      expect(encoder.events).toEqual(frames);
      expect(encoder.response()).toEqual(final);
      expect(replayStoredEvents(encoder.events)).toBe(
        frames.map((f) => `event: ${f.type}\ndata: ${JSON.stringify(f)}\n\n`).join(''),
      );
    });
  }
});

describe('openai-responses stream encoder: item structure', () => {
  const anthropicLike: CanonicalEvent[] = [
    { type: 'response-start', id: 'msg_01', model: 'claude' },
    { type: 'reasoning-delta', text: 'Let me ' },
    { type: 'reasoning-delta', text: 'think.' },
    { type: 'reasoning-signature', signature: 'SIG==' },
    { type: 'reasoning-redacted', data: 'REDACTED' },
    { type: 'text-delta', text: 'Hello' },
    { type: 'text-delta', text: ' there' },
    { type: 'tool-call-start', index: 0, id: 'toolu_1', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
    { type: 'tool-call-start', index: 1, id: 'toolu_2', name: 'get_time' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
    { type: 'tool-call-end', index: 0 },
    { type: 'tool-call-end', index: 1 },
    { type: 'usage', usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 4, reasoningTokens: 2 } },
    { type: 'finish', reason: 'tool_calls', raw: 'tool_use' },
  ];

  it('keeps item ids, output_index and content_index consistent', () => {
    const { frames } = encode(anthropicLike);
    for (const frame of frames) expectValidAgainstSpec('ResponseStreamEvent', frame);
    const added = frames.filter((f) => f.type === 'response.output_item.added');
    const done = frames.filter((f) => f.type === 'response.output_item.done');
    expect(added.map((f) => f.output_index)).toEqual([0, 1, 2, 3, 4]);
    expect(added.map((f) => (f.item as Json).type)).toEqual([
      'reasoning',
      'reasoning',
      'message',
      'function_call',
      'function_call',
    ]);
    const idByIndex = new Map(added.map((f) => [f.output_index, (f.item as Json).id]));
    expect(done.map((f) => (f.item as Json).id)).toEqual(
      done.map((f) => idByIndex.get(f.output_index as number)),
    );
    for (const frame of frames) {
      if (typeof frame.item_id === 'string')
        expect(idByIndex.get(frame.output_index as number)).toBe(frame.item_id);
    }
    expect(new Set(idByIndex.values()).size).toBe(5);
    const [reasoning, redacted, message, call0, call1] = [0, 1, 2, 3, 4].map(
      (i) => done.find((f) => f.output_index === i)!.item as Json,
    );
    expect(reasoning!.summary).toEqual([{ type: 'summary_text', text: 'Let me think.' }]);
    expect(String(reasoning!.encrypted_content)).toMatch(/^jx1\./);
    expect(String(redacted!.encrypted_content)).toMatch(/^jx1\./);
    expect(message).toMatchObject({
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'Hello there', annotations: [], logprobs: [] }],
    });
    expect(call0).toMatchObject({
      call_id: 'toolu_1',
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
      status: 'completed',
    });
    expect(call1).toMatchObject({ call_id: 'toolu_2', name: 'get_time', arguments: '{}' });
    // Interleaved argument deltas go to their own item.
    const argDeltas = frames.filter((f) => f.type === 'response.function_call_arguments.delta');
    expect(argDeltas.map((f) => [f.output_index, f.delta])).toEqual([
      [3, '{"city":'],
      [3, '"Paris"}'],
      [4, '{}'],
    ]);
    const final = frames.at(-1)!;
    expect(final.type).toBe('response.completed');
    expect((final.response as Json).usage).toEqual({
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 4, cache_write_tokens: 0 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 2 },
      total_tokens: 15,
    });
  });

  it('emits the summary and text events in order with the full text on done', () => {
    const { frames } = encode(anthropicLike);
    expect(frames.slice(0, 9).map((f) => f.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
    ]);
    const textDone = frames.find((f) => f.type === 'response.output_text.done')!;
    expect(textDone).toMatchObject({ text: 'Hello there', content_index: 0, output_index: 2 });
  });

  it('ends with response.incomplete after max tokens', () => {
    const { frames } = encode([
      { type: 'text-delta', text: 'partial' },
      { type: 'finish', reason: 'length', raw: 'max_tokens' },
    ]);
    for (const frame of frames) expectValidAgainstSpec('ResponseStreamEvent', frame);
    const final = frames.at(-1)!;
    expect(final.type).toBe('response.incomplete');
    expect(final.response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
    const message = frames.find((f) => f.type === 'response.output_item.done')!.item as Json;
    expect(message.status).toBe('incomplete');
  });

  it('ends a broken stream with response.failed then error', () => {
    const decoded = openAIResponsesDialect.decodeRequest({ model: 'm', input: 'x', stream: true });
    const encoder = openAIResponsesDialect.createStreamEncoder({ model: 'm', requestId: 'r' }, decoded);
    let sse = encoder.event({ type: 'text-delta', text: 'half an ans' });
    sse += encoder.error(new GatewayError('overloaded', 'anthropic: Overloaded', { status: 529 }));
    const frames = parseFrames(sse);
    for (const frame of frames) expectValidAgainstSpec('ResponseStreamEvent', frame);
    expect(frames.slice(-2).map((f) => f.type)).toEqual(['response.failed', 'error']);
    const failed = frames.at(-2)!.response as Json;
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'server_error', message: 'anthropic: Overloaded' },
    });
    expect(failed.output).toMatchObject([
      { type: 'message', status: 'incomplete', content: [{ text: 'half an ans' }] },
    ]);
    expect(frames.at(-1)).toMatchObject({
      type: 'error',
      code: 'server_error',
      message: 'anthropic: Overloaded',
      param: null,
      // OpenAI's own nesting, which the official SDKs raise as an APIError.
      error: { type: 'server_error', message: 'anthropic: Overloaded' },
    });
    expect(encoder.response().status).toBe('failed');
    // Nothing after the end.
    expect(encoder.end()).toBe('');
  });

  it('starts a background response as queued', () => {
    const { frames } = encode([{ type: 'text-delta', text: 'x' }], {
      model: 'm',
      input: 'x',
      background: true,
      stream: true,
    });
    expect(frames.slice(0, 2).map((f) => [f.type, (f.response as Json).status])).toEqual([
      ['response.created', 'queued'],
      ['response.in_progress', 'in_progress'],
    ]);
    expect((frames.at(-1)!.response as Json).background).toBe(true);
  });

  it('echoes the request into every Response snapshot', () => {
    const body = {
      model: 'alias',
      input: 'x',
      instructions: 'be brief',
      tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }],
      tool_choice: 'required',
      temperature: 0.2,
      max_output_tokens: 64,
      metadata: { k: 'v' },
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
      reasoning: { effort: 'low', summary: 'auto' },
      previous_response_id: 'resp_prev',
      store: false,
      stream: true,
    };
    const { frames } = encode(
      [
        { type: 'text-delta', text: '{}' },
        { type: 'finish', reason: 'stop' },
      ],
      body,
    );
    const created = frames[0]!.response as Json;
    expect(created).toMatchObject({
      status: 'in_progress',
      instructions: 'be brief',
      tool_choice: 'required',
      temperature: 0.2,
      max_output_tokens: 64,
      metadata: { k: 'v' },
      previous_response_id: 'resp_prev',
      store: false,
      reasoning: { effort: 'low', summary: 'auto' },
      text: { format: { type: 'json_schema', name: 'out' } },
      tools: [{ type: 'function', name: 'f', strict: null, description: null }],
    });
    expectValidAgainstSpec('Response', created);
    expect((frames.at(-1)!.response as Json).id).toBe(created.id);
    expect(String(created.id)).toMatch(/^resp_[0-9a-f]{48}$/);
  });
});
