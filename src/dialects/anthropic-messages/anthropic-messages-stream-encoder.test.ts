import { readdirSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import {
  byteChunks,
  chunksToSse,
  fixturePath,
  loadCassette,
  loadChunks,
  responseText,
} from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { GatewayError } from '../../core/errors.js';
import { decodeAnthropicStream } from '../../providers/anthropic/anthropic-stream-decoder.js';
import { parseSse } from '../../providers/shared/sse.js';
import type { EncodeContext } from '../dialect.js';
import { createAnthropicMessagesStreamEncoder } from './anthropic-messages-stream-encoder.js';

const DIR = 'anthropic-messages';
type Json = Record<string, unknown>;
interface WireEvent {
  event: string | undefined;
  data: Json;
}

async function wireEvents(sse: string): Promise<WireEvent[]> {
  const out: WireEvent[] = [];
  for await (const message of parseSse(byteChunks(sse, 13)))
    out.push({ event: message.event, data: JSON.parse(message.data) as Json });
  return out;
}

async function encode(
  events: AsyncIterable<CanonicalEvent> | CanonicalEvent[],
  context: EncodeContext,
): Promise<string> {
  const encoder = createAnthropicMessagesStreamEncoder(context);
  let out = '';
  for await (const event of events) out += encoder.event(event);
  return out + encoder.end();
}

/** Every recorded Anthropic stream whose blocks the canonical model carries (no server-tool blocks). */
function recordedStreams(): Array<[string, string]> {
  const streams: Array<[string, string]> = [];
  for (const file of readdirSync(fixturePath(DIR))) {
    if (file.endsWith('.chunks.txt')) {
      streams.push([file, chunksToSse(loadChunks(`${DIR}/${file}`), { withEventNames: true })]);
    } else if (file.endsWith('.yaml')) {
      loadCassette(`${DIR}/${file}`).forEach((interaction, i) => {
        const text = responseText(interaction);
        if (text.startsWith('event:')) streams.push([`${file}#${i}`, text]);
      });
    }
  }
  const modeled = new Set(['text', 'thinking', 'redacted_thinking', 'tool_use']);
  return streams.filter(([, sse]) =>
    [...sse.matchAll(/"content_block":\{"type":"([a-z_]+)"/g)].every((match) => modeled.has(match[1]!)),
  );
}

interface BlockSummary {
  start: Json;
  deltaTypes: string[];
  text: string;
  thinking: string;
  signature: string;
  input: unknown;
}

/** What a client can observe of a stream, chunking aside: event order, block contents, stop and usage. */
function summarize(events: WireEvent[]) {
  const order: string[] = [];
  const blocks = new Map<number, BlockSummary & { json: string }>();
  let messageDelta: Json | undefined;
  let start: Json | undefined;
  for (const { event, data } of events) {
    expect(event).toBe(data.type);
    const index = data.index as number;
    switch (data.type) {
      case 'ping':
        continue;
      case 'message_start':
        start = data.message as Json;
        break;
      case 'content_block_start':
        blocks.set(index, {
          start: data.content_block as Json,
          deltaTypes: [],
          text: '',
          thinking: '',
          signature: '',
          input: undefined,
          json: '',
        });
        break;
      case 'content_block_delta': {
        const delta = data.delta as Json;
        const block = blocks.get(index)!;
        const piece = String(delta.text ?? delta.thinking ?? delta.signature ?? delta.partial_json ?? '');
        if (piece === '') continue; // empty deltas carry nothing
        if (block.deltaTypes.at(-1) !== delta.type) block.deltaTypes.push(delta.type as string);
        if (delta.type === 'text_delta') block.text += piece;
        if (delta.type === 'thinking_delta') block.thinking += piece;
        if (delta.type === 'signature_delta') block.signature += piece;
        if (delta.type === 'input_json_delta') block.json += piece;
        continue;
      }
      case 'message_delta':
        messageDelta = data;
        break;
    }
    order.push(
      data.type === 'content_block_start' || data.type === 'content_block_stop'
        ? `${data.type}:${index}`
        : String(data.type),
    );
  }
  const summaries = [...blocks.entries()].map(([index, block]) => {
    const { json, ...rest } = block;
    const content = rest.start;
    return {
      ...rest,
      index,
      // A tool with no arguments may stream `{}` or nothing: both mean the start's input.
      input: content.type === 'tool_use' ? (json === '' ? content.input : JSON.parse(json)) : undefined,
      start: { ...content, ...(content.type === 'thinking' ? { thinking: '', signature: '' } : {}) },
      deltaTypes: rest.deltaTypes.filter(
        (type) => !(content.type === 'tool_use' && json === '{}' && type === 'input_json_delta'),
      ),
    };
  });
  return { order, blocks: summaries, start, messageDelta };
}

describe('re-encoding recorded Anthropic streams (provider decoder -> this encoder)', () => {
  const streams = recordedStreams();

  it('includes the streams named in the brief', () => {
    const names = streams.map(([name]) => name);
    expect(names).toContain('pydantic-ai-anthropic_model_thinking_part_stream.yaml#0');
    expect(names).toContain('pydantic-ai-anthropic-stream_plain_text_raw_sse.yaml#0');
    expect(names).toContain('vercel-anthropic-json-tool.1.chunks.txt');
    expect(names).toContain('pydantic-ai-anthropic_model_thinking_part_redacted_stream.yaml#0');
  });

  it.each(streams)('%s', async (_name, sse) => {
    const recorded = summarize(await wireEvents(sse));
    const model = String(recorded.start!.model);
    const reencoded = await encode(decodeAnthropicStream(parseSse(byteChunks(sse, 29))), {
      model,
      requestId: 'req_x',
    });
    const ours = await wireEvents(reencoded);
    expect(ours[0]!.event).toBe('message_start');
    expect(ours[1]!.event).toBe('ping');
    const mine = summarize(ours);

    expect(mine.order).toEqual(recorded.order);
    expect(mine.blocks).toEqual(recorded.blocks);
    expect(mine.start!.id).toBe(recorded.start!.id);
    const recordedStartUsage = recorded.start!.usage as Json;
    expect(mine.start!.usage).toMatchObject({
      input_tokens: recordedStartUsage.input_tokens,
      cache_read_input_tokens: recordedStartUsage.cache_read_input_tokens ?? 0,
    });
    expect((mine.messageDelta!.delta as Json).stop_reason).toBe(
      (recorded.messageDelta!.delta as Json).stop_reason,
    );
    expect((mine.messageDelta!.usage as Json).output_tokens).toBe(
      (recorded.messageDelta!.usage as Json).output_tokens,
    );
  });

  it.each(streams)('the official SDK assembles the same message from %s', async (_name, sse) => {
    const recordedMessage = await sdkFinalMessage(sse);
    const reencoded = await encode(decodeAnthropicStream(parseSse(byteChunks(sse, 29))), {
      model: recordedMessage.model,
      requestId: 'req_x',
    });
    const ours = await sdkFinalMessage(reencoded);
    expect(ours.id).toBe(recordedMessage.id);
    expect(ours.content).toEqual(recordedMessage.content);
    expect(ours.stop_reason).toBe(recordedMessage.stop_reason);
    for (const key of [
      'input_tokens',
      'output_tokens',
      'cache_read_input_tokens',
      'cache_creation_input_tokens',
    ] as const) {
      expect(ours.usage[key] ?? 0).toBe(recordedMessage.usage[key] ?? 0);
    }
  });
});

/** Runs SSE text through @anthropic-ai/sdk's own stream accumulator. */
async function sdkFinalMessage(sse: string): Promise<Anthropic.Message> {
  const client = new Anthropic({
    apiKey: 'test',
    maxRetries: 0,
    fetch: async () => new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
  return client.messages
    .stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
    .finalMessage();
}

describe('encoding streams from other providers', () => {
  const context = { model: 'my-alias', requestId: 'req_7' };

  it('writes usage reported after finish (OpenAI order) into message_delta, with 0s in message_start', async () => {
    const sse = await encode(
      [
        { type: 'response-start', id: 'chatcmpl-1', model: 'gpt-x' },
        { type: 'text-delta', text: 'Hel' },
        { type: 'text-delta', text: 'lo' },
        { type: 'tool-call-start', index: 0, id: 'call_a', name: 'f' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{"x":' },
        { type: 'tool-call-start', index: 1, id: 'call_b', name: 'g' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '1}' },
        { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
        { type: 'finish', reason: 'tool_calls', raw: 'tool_calls' },
        { type: 'usage', usage: { inputTokens: 30, outputTokens: 9, cachedInputTokens: 20 } },
      ],
      context,
    );
    const events = await wireEvents(sse);
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]!.data.message).toEqual({
      id: 'msg_chatcmpl-1',
      type: 'message',
      role: 'assistant',
      model: 'my-alias',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 0,
        output_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 0,
      },
    });
    // The late delta of the first call keeps its block index.
    expect(events[10]!.data).toEqual({
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '1}' },
    });
    expect(events.at(-2)!.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: {
        input_tokens: 10,
        output_tokens: 9,
        cache_read_input_tokens: 20,
        cache_creation_input_tokens: 0,
      },
    });
    const message = await sdkFinalMessage(sse);
    expect(message.content).toEqual([
      { type: 'text', text: 'Hello' },
      { type: 'tool_use', id: 'call_a', name: 'f', input: { x: 1 } },
      { type: 'tool_use', id: 'call_b', name: 'g', input: {} },
    ]);
    expect(message.usage).toMatchObject({ input_tokens: 10, output_tokens: 9, cache_read_input_tokens: 20 });
  });

  it('gives thinking blocks their signature (Gemini thought signatures prefixed), redacted blocks their data, and closes a block when another starts', async () => {
    const sse = await encode(
      [
        { type: 'reasoning-delta', text: 'a' },
        { type: 'reasoning-signature', signature: 'S1' },
        { type: 'reasoning-redacted', data: 'R' },
        { type: 'reasoning-signature', signature: 'S2' },
        { type: 'reasoning-delta', text: 'b' },
        { type: 'reasoning-provider-data', providerData: { gemini: { thoughtSignature: 'g' } } },
        { type: 'text-delta', text: 'x' },
        { type: 'finish', reason: 'length' },
      ],
      context,
    );
    const message = await sdkFinalMessage(sse);
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'a', signature: 'S1' },
      { type: 'redacted_thinking', data: 'R' },
      { type: 'thinking', thinking: '', signature: 'S2' },
      { type: 'thinking', thinking: 'b', signature: 'gemini:thought:g' },
      { type: 'text', text: 'x' },
    ]);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.id).toBe('msg_req_7');
  });

  it('a Gemini text signature follows its whole text block, wherever in the text it came; a bare one with no text block open travels alone', async () => {
    const signed = (text: string, sig: string): CanonicalEvent => ({
      type: 'text-delta',
      text,
      providerData: { gemini: { thoughtSignature: sig } },
    });
    const sse = await encode(
      [
        signed('The answer ', 'T1'),
        { type: 'text-delta', text: 'is 42.' },
        { type: 'tool-call-start', index: 0, id: 'call_a', name: 'f' },
        { type: 'tool-call-end', index: 0 },
        signed('', 'T2'),
        { type: 'text-delta', text: 'Done.' },
        signed('', 'T3'),
        { type: 'finish', reason: 'stop' },
      ],
      context,
    );
    const events = await wireEvents(sse);
    const starts = events.filter((e) => e.event === 'content_block_start').map((e) => e.data.index);
    const stops = events.filter((e) => e.event === 'content_block_stop').map((e) => e.data.index);
    expect(stops).toEqual(starts);
    const message = await sdkFinalMessage(sse);
    expect(message.content).toEqual([
      { type: 'text', text: 'The answer is 42.' },
      { type: 'thinking', thinking: '', signature: 'gemini:text:T1' },
      { type: 'tool_use', id: 'call_a', name: 'f', input: {} },
      { type: 'thinking', thinking: '', signature: 'gemini:text:T2' },
      { type: 'text', text: 'Done.' },
      { type: 'thinking', thinking: '', signature: 'gemini:text:T3' },
    ]);
  });

  it('ends an empty stream with a complete, valid message', async () => {
    const events = await wireEvents(await encode([], context));
    expect(events.map((e) => e.event)).toEqual(['message_start', 'ping', 'message_delta', 'message_stop']);
    expect((events[2]!.data.delta as Json).stop_reason).toBe('end_turn');
  });

  it('renders a mid-stream failure as an Anthropic error event the SDK raises', async () => {
    const encoder = createAnthropicMessagesStreamEncoder(context);
    const sse =
      encoder.event({ type: 'text-delta', text: 'partial' }) +
      encoder.error(new GatewayError('overloaded', 'Overloaded'));
    expect(
      sse.endsWith(
        'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_7"}\n\n',
      ),
    ).toBe(true);
    await expect(sdkFinalMessage(sse)).rejects.toMatchObject({
      error: { error: { type: 'overloaded_error' } },
    });
  });
});
