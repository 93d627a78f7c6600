import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { byteChunks, chunksToSse, fixturePath, loadChunks } from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import { parseSse } from '../shared/sse.js';
import { decodeOpenAIResponsesStream, mapOpenAIResponsesUsage } from './openai-responses-stream-decoder.js';

type Json = Record<string, unknown>;

/** The recorded streams, one entry per response (some files hold several turns). */
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
  return streams;
}

async function decode(chunks: Json[]): Promise<CanonicalEvent[]> {
  const events: CanonicalEvent[] = [];
  const sse = chunksToSse(chunks, { withEventNames: true });
  for await (const event of decodeOpenAIResponsesStream(parseSse(byteChunks(sse, 13)))) events.push(event);
  return events;
}

function finalResponse(chunks: Json[]): Json {
  const last = chunks.findLast((c) => String(c.type).startsWith('response.') && c.response) as Json;
  return last.response as Json;
}

// A hand-edited recording (ids like sh_0f1a2b3c…) whose text deltas do not add up to its final text.
const INCONSISTENT = new Set(['vercel-openai-shell-container.1.chunks.txt#0']);

const successful = recordedStreams().filter(
  ({ name, chunks }) =>
    !INCONSISTENT.has(name) &&
    chunks.some((c) => c.type === 'response.completed' || c.type === 'response.incomplete'),
);

describe('decodeOpenAIResponsesStream on every recorded stream', () => {
  it('covers the recordings', () => {
    expect(successful.length).toBeGreaterThanOrEqual(45);
  });

  for (const { name, chunks } of successful) {
    it(`decodes ${name}`, async () => {
      const events = await decode(chunks);
      const response = finalResponse(chunks);
      const output = response.output as Json[];
      const collected = await collectResponse(
        (async function* () {
          yield* events;
        })(),
      );
      expect(events[0]).toMatchObject({ type: 'response-start', id: response.id, model: response.model });
      // Text: every message's output_text, in order.
      const text = output
        .filter((item) => item.type === 'message')
        .flatMap((item) => item.content as Json[])
        .map((part) => (part.type === 'output_text' ? part.text : (part.refusal ?? '')))
        .join('');
      const collectedText = collected.content
        .filter((part) => part.type === 'text')
        .map((part) => part.text)
        .join('');
      expect(collectedText).toBe(text);
      // Function calls: call ids, names and arguments exactly.
      const calls = output
        .filter((item) => item.type === 'function_call')
        .map((item) => ({ id: item.call_id, name: item.name, arguments: item.arguments }));
      const collectedCalls = collected.content
        .filter((part) => part.type === 'tool-call')
        .map((part) => ({ id: part.id, name: part.name, arguments: part.arguments }));
      expect(collectedCalls).toEqual(calls);
      // Reasoning: summaries (or reasoning text) and the final encrypted_content.
      const reasoningText = output
        .filter((item) => item.type === 'reasoning')
        .map((item) => {
          const summary = (item.summary as Json[]).map((p) => p.text).join('\n\n');
          return summary || ((item.content as Json[] | undefined) ?? []).map((p) => p.text).join('');
        })
        .join('');
      const collectedReasoning = collected.content
        .filter((part) => part.type === 'reasoning')
        .map((part) => part.text)
        .join('');
      expect(collectedReasoning).toBe(reasoningText);
      // The final encrypted_content is the one of output_item.done (response.completed may re-encrypt it).
      const encrypted = chunks
        .filter((c) => c.type === 'response.output_item.done')
        .map((c) => c.item as Json)
        .filter((item) => item.type === 'reasoning' && item.encrypted_content)
        .map((item) => item.encrypted_content);
      const collectedEncrypted = collected.content.flatMap((part) =>
        part.type === 'reasoning' && part.providerData?.openai?.encryptedContent
          ? [part.providerData.openai.encryptedContent]
          : [],
      );
      expect(collectedEncrypted).toEqual(encrypted);
      // Usage and finish.
      expect(collected.usage).toEqual(mapOpenAIResponsesUsage(response.usage));
      expect(collected.usage?.inputTokens).toBe((response.usage as Json).input_tokens);
      expect(collected.finishReason).toBe(calls.length > 0 ? 'tool_calls' : 'stop');
      expect(events.at(-1)?.type).toBe('finish');
    });
  }

  it('keeps the exact numbers of a reasoning turn', async () => {
    const stream = successful.find(
      (s) => s.name === 'vercel-openai-reasoning-encrypted-content.1.chunks.txt#0',
    )!;
    const collected = await collectResponse(
      (async function* () {
        yield* await decode(stream.chunks);
      })(),
    );
    expect(collected.usage).toEqual({
      inputTokens: 134,
      outputTokens: 28,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    });
    expect(collected.content[0]).toMatchObject({
      type: 'reasoning',
      text: expect.stringMatching(/^\*\*Calculating step-by-step using calculator\*\*/),
    });
    expect(collected.content[1]).toEqual({
      type: 'tool-call',
      id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn',
      name: 'calculator',
      arguments: '{"a":12,"b":7,"op":"add"}',
    });
  });
});

describe('decodeOpenAIResponsesStream failures and edge cases', () => {
  it('throws the in-band error of a failed stream, classified', async () => {
    const chunks = loadChunks('openai-responses/vercel-openai-error.1.chunks.txt') as Json[];
    const error = await decode(chunks).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    // As OpenAI answers insufficient_quota over HTTP: a 429 (the fast path classes it the same way).
    expect(error).toMatchObject({ failureClass: 'quota', status: 429, code: 'insufficient_quota' });
    expect((error as GatewayError).message).toContain('You exceeded your current quota');
  });

  it('throws response.failed (spec-shaped error event absent) as a GatewayError', async () => {
    const error = await decode([
      {
        type: 'response.created',
        sequence_number: 0,
        response: { id: 'resp_1', model: 'm', status: 'in_progress' },
      },
      {
        type: 'response.failed',
        sequence_number: 1,
        response: {
          id: 'resp_1',
          status: 'failed',
          error: { code: 'rate_limit_exceeded', message: 'slow down' },
        },
      },
    ]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ failureClass: 'rate_limit', status: 429, upstreamStatus: 429 });
  });

  it('throws the spec’s flat error event by its code; an unknown code is a transient 502', async () => {
    const error = await decode([
      {
        type: 'error',
        code: 'ERR_SOMETHING',
        message: 'Something went wrong',
        param: null,
        sequence_number: 1,
      },
    ]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ failureClass: 'transient', status: 502, code: 'ERR_SOMETHING' });
    expect((error as GatewayError).message).toContain('Something went wrong');
  });

  it('maps max_output_tokens to length and fills text sent only in .done events', async () => {
    const events = await decode([
      { type: 'response.created', response: { id: 'r', model: 'm' } },
      { type: 'response.output_item.added', item: { id: 'msg_1', type: 'message' } },
      { type: 'response.output_text.delta', item_id: 'msg_1', delta: 'Hel' },
      { type: 'response.output_text.done', item_id: 'msg_1', text: 'Hello' },
      {
        type: 'response.output_item.added',
        item: { id: 'fc_1', type: 'function_call', call_id: 'c1', name: 'f', arguments: '' },
      },
      { type: 'response.function_call_arguments.done', item_id: 'fc_1', arguments: '{"a":1}' },
      { type: 'response.some_future_event', foo: 1 },
      {
        type: 'response.incomplete',
        response: {
          status: 'incomplete',
          incomplete_details: { reason: 'max_output_tokens' },
          usage: { input_tokens: 3, output_tokens: 4 },
        },
      },
    ]);
    expect(events.filter((e) => e.type === 'text-delta').map((e) => (e as { text: string }).text)).toEqual([
      'Hel',
      'lo',
    ]);
    expect(events).toContainEqual({ type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":1}' });
    expect(events).toContainEqual({ type: 'tool-call-end', index: 0 });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length', raw: 'max_output_tokens' });
  });

  it('fails a stream that ends before the response finished', async () => {
    await expect(decode([{ type: 'response.created', response: { id: 'r' } }])).rejects.toMatchObject({
      failureClass: 'transient',
    });
  });
});
