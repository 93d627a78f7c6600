import { describe, expect, it } from 'vitest';
import { byteChunks, chunksToSse, loadChunks } from '../../../test/support/fixtures.js';
import { expectValidAgainstSpec } from '../../../test/support/openapi.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { collectResponse } from '../../core/collect-response.js';
import { decodeAnthropicStream } from '../../providers/anthropic/anthropic-stream-decoder.js';
import { decodeOpenAIChatStream } from '../../providers/openai/openai-chat-stream-decoder.js';
import { parseSse } from '../../providers/shared/sse.js';
import { toResponsesAnnotation } from './openai-responses-annotations.js';
import { openAIResponsesDialect } from './openai-responses-dialect.js';
import type { ResponseStreamEvent } from './openai-responses-event-builder.js';

type Json = Record<string, unknown>;

async function drain(events: AsyncIterable<CanonicalEvent>): Promise<CanonicalEvent[]> {
  const out: CanonicalEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

async function* fromArray(events: CanonicalEvent[]): AsyncGenerator<CanonicalEvent> {
  yield* events;
}

const perplexity = () =>
  drain(
    decodeOpenAIChatStream(
      parseSse(
        byteChunks(
          chunksToSse(loadChunks('openai-chat/vercel-perplexity-citations.chunks.txt'), { done: true }),
        ),
      ),
    ),
  );
const anthropicWebSearch = () =>
  drain(
    decodeAnthropicStream(
      parseSse(
        byteChunks(
          chunksToSse(loadChunks('anthropic-messages/vercel-anthropic-web-search-tool.1.chunks.txt'), {
            withEventNames: true,
          }),
        ),
      ),
    ),
  );

const context = { model: 'gpt-test', requestId: 'req_1' };

function stream(events: CanonicalEvent[]): { frames: ResponseStreamEvent[]; final: Json } {
  const decoded = openAIResponsesDialect.decodeRequest({ model: 'gpt-test', input: 'hi', stream: true });
  const encoder = openAIResponsesDialect.createStreamEncoder(context, decoded);
  const sse = events.map((event) => encoder.event(event)).join('') + encoder.end();
  const frames = sse
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => JSON.parse(frame.split('\n')[1]!.replace(/^data: /, '')) as ResponseStreamEvent);
  return { frames, final: encoder.response() };
}

type TextPart = {
  type: string;
  text: string;
  annotations: Array<Json & { start_index: number; end_index: number }>;
};
function messageParts(response: Json): TextPart[] {
  return (response.output as Array<{ type: string; content?: TextPart[] }>)
    .filter((item) => item.type === 'message')
    .flatMap((item) => item.content ?? []);
}

describe('openai-responses annotations from recorded citations', () => {
  it('Anthropic web search (non-stream): url_citation spans are local to each message, valid per the spec', async () => {
    const response = await collectResponse(fromArray(await anthropicWebSearch()));
    const body = openAIResponsesDialect.encodeResponse(response, context);
    expectValidAgainstSpec('Response', body);
    const parts = messageParts(body);
    const annotations = parts.flatMap((p) => p.annotations);
    expect(annotations).toHaveLength(14);
    const withAnnotations = parts.find((p) => p.annotations.length > 0)!;
    expect(withAnnotations.annotations[0]).toEqual({
      type: 'url_citation',
      url: 'https://www.apple.com/newsroom/2025/09/the-all-new-apple-ginza-opens-this-friday-september-26-in-tokyo/',
      title: 'The all-new Apple Ginza opens this Friday, September 26, in Tokyo - Apple',
      start_index: 116,
      end_index: 375,
    });
    for (const part of parts) {
      for (const a of part.annotations) expect(a.end_index).toBeLessThanOrEqual(part.text.length);
    }
    expect(withAnnotations.text.slice(116, 375)).toMatch(/^Apple today announced the grand reopening/);
  });

  it('Anthropic web search (stream): annotation.added events match the final annotations, valid per the spec', async () => {
    const events = await anthropicWebSearch();
    const { frames, final } = stream(events);
    for (const frame of frames) expectValidAgainstSpec('ResponseStreamEvent', frame);
    expectValidAgainstSpec('Response', final);
    const added = frames.filter((f) => f.type === 'response.output_text.annotation.added');
    expect(added).toHaveLength(14);
    expect(added.map((f) => f.annotation_index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(added.map((f) => f.annotation)).toEqual(messageParts(final).flatMap((p) => p.annotations));
    // Each annotation comes after the text it points at and before its message's output_text.done.
    const doneAt = frames.findIndex((f) => f.type === 'response.output_text.done');
    expect(frames.indexOf(added.at(-1)!)).toBeLessThan(doneAt);
    const doneFrame = frames[doneAt]!;
    expect(added.every((f) => f.item_id === doneFrame.item_id)).toBe(true);
    // The streamed Response equals the non-streamed one, annotations included.
    const collected = openAIResponsesDialect.encodeResponse(
      await collectResponse(fromArray(events)),
      context,
    );
    expect(messageParts(collected).map((p) => p.annotations)).toEqual(
      messageParts(final).map((p) => p.annotations),
    );
  });

  it('Perplexity: citations that arrive with the first text annotate that message with empty spans', async () => {
    const events = await perplexity();
    const { frames, final } = stream(events);
    for (const frame of frames) expectValidAgainstSpec('ResponseStreamEvent', frame);
    const annotations = messageParts(final)[0]!.annotations;
    expect(annotations).toHaveLength(7);
    expect(annotations[1]).toEqual({
      type: 'url_citation',
      url: 'https://en.wikipedia.org/wiki/San_Francisco',
      title: '',
      start_index: 0,
      end_index: 0,
    });
    const body = openAIResponsesDialect.encodeResponse(await collectResponse(fromArray(events)), context);
    expectValidAgainstSpec('Response', body);
    expect(messageParts(body)[0]!.annotations).toEqual(annotations);
  });

  it('a citation before any text waits for the message; one with no message to follow is dropped', () => {
    const cite = { type: 'citation' as const, citation: { url: 'https://a.test', title: 'A' } };
    const { frames, final } = stream([
      cite,
      { type: 'text-delta', text: 'hi' },
      { type: 'finish', reason: 'stop' },
    ]);
    const added = frames.findIndex((f) => f.type === 'response.output_text.annotation.added');
    expect(added).toBeGreaterThan(frames.findIndex((f) => f.type === 'response.output_text.delta'));
    expect(messageParts(final)[0]!.annotations).toEqual([
      { type: 'url_citation', url: 'https://a.test', title: 'A', start_index: 0, end_index: 0 },
    ]);
    const none = stream([
      { type: 'tool-call-start', index: 0, id: 'c', name: 'f' },
      cite,
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(none.frames.some((f) => f.type === 'response.output_text.annotation.added')).toBe(false);
  });

  it('toResponsesAnnotation: only URL citations, offsets made local and clamped into the message', () => {
    expect(toResponsesAnnotation({ title: 'doc', startIndex: 0, endIndex: 3 }, 0, 10)).toBeUndefined();
    expect(toResponsesAnnotation({ url: 'https://x.test', startIndex: 12, endIndex: 40 }, 10, 20)).toEqual({
      type: 'url_citation',
      url: 'https://x.test',
      title: '',
      start_index: 2,
      end_index: 20,
    });
  });
});
