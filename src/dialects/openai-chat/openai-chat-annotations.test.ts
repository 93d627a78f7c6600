import { describe, expect, it } from 'vitest';
import { byteChunks, chunksToSse, loadChunks } from '../../../test/support/fixtures.js';
import { expectValidAgainstSpec } from '../../../test/support/openapi.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { collectResponse } from '../../core/collect-response.js';
import { decodeAnthropicStream } from '../../providers/anthropic/anthropic-stream-decoder.js';
import { decodeOpenAIChatStream } from '../../providers/openai/openai-chat-stream-decoder.js';
import { parseSse } from '../../providers/shared/sse.js';
import { toChatAnnotations } from './openai-chat-annotations.js';
import { openAIChatDialect } from './openai-chat-dialect.js';

async function drain(events: AsyncIterable<CanonicalEvent>): Promise<CanonicalEvent[]> {
  const out: CanonicalEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

async function* fromArray(events: CanonicalEvent[]): AsyncGenerator<CanonicalEvent> {
  yield* events;
}

/** Recorded upstream streams decoded to canonical events: the inputs the dialect really sees. */
const recorded = {
  perplexity: () =>
    drain(
      decodeOpenAIChatStream(
        parseSse(
          byteChunks(
            chunksToSse(loadChunks('openai-chat/vercel-perplexity-citations.chunks.txt'), { done: true }),
          ),
        ),
      ),
    ),
  anthropicWebSearch: () =>
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
    ),
};

const context = { model: 'gw', requestId: 'r1' };

function streamOf(events: CanonicalEvent[]): Array<Record<string, unknown>> {
  const decoded = openAIChatDialect.decodeRequest({
    model: 'gw',
    messages: [{ role: 'user', content: 'x' }],
    stream: true,
  });
  const encoder = openAIChatDialect.createStreamEncoder(context, decoded);
  const sse = events.map((event) => encoder.event(event)).join('') + encoder.end();
  return sse
    .split('\n\n')
    .filter((frame) => frame !== '' && frame !== 'data: [DONE]')
    .map((frame) => JSON.parse(frame.replace(/^data: /, '')) as Record<string, unknown>);
}

type Choice = { delta: Record<string, unknown>; finish_reason: string | null };

describe('openai-chat annotations from recorded citations', () => {
  it('Perplexity URLs become url_citation annotations with an empty span, valid per the spec', async () => {
    const response = await collectResponse(fromArray(await recorded.perplexity()));
    const body = openAIChatDialect.encodeResponse(response, context) as {
      choices: Array<{ message: { annotations: unknown[] } }>;
    };
    expectValidAgainstSpec('CreateChatCompletionResponse', body);
    const annotations = body.choices[0]!.message.annotations;
    expect(annotations).toHaveLength(7);
    expect(annotations[0]).toEqual({
      type: 'url_citation',
      url_citation: {
        url: 'https://populationstat.com/united-states/san-francisco',
        title: '',
        start_index: 0,
        end_index: 0,
      },
    });
    expect(annotations[6]).toMatchObject({
      url_citation: { url: 'https://www.worldometers.info/world-population/us-population/' },
    });
  });

  it('Anthropic web search citations keep url, title and the cited block span', async () => {
    const response = await collectResponse(fromArray(await recorded.anthropicWebSearch()));
    const body = openAIChatDialect.encodeResponse(response, context) as {
      choices: Array<{
        message: {
          content: string;
          annotations: Array<{ url_citation: { start_index: number; end_index: number; title: string } }>;
        };
      }>;
    };
    expectValidAgainstSpec('CreateChatCompletionResponse', body);
    const { content, annotations } = body.choices[0]!.message;
    expect(annotations).toHaveLength(14);
    expect(annotations[0]).toEqual({
      type: 'url_citation',
      url_citation: {
        url: 'https://www.apple.com/newsroom/2025/09/the-all-new-apple-ginza-opens-this-friday-september-26-in-tokyo/',
        title: 'The all-new Apple Ginza opens this Friday, September 26, in Tokyo - Apple',
        start_index: 116,
        end_index: 375,
      },
    });
    const first = annotations[0]!.url_citation;
    expect(content.slice(first.start_index, first.end_index)).toMatch(
      /^Apple today announced the grand reopening/,
    );
  });

  it('a response without citations has no annotations field', async () => {
    const response = await collectResponse(
      fromArray([
        { type: 'text-delta', text: 'hi' },
        { type: 'finish', reason: 'stop' },
      ]),
    );
    const body = openAIChatDialect.encodeResponse(response, context) as {
      choices: Array<{ message: object }>;
    };
    expect(body.choices[0]!.message).not.toHaveProperty('annotations');
  });

  it('streams: one annotations delta right before the finish chunk, after all the text', async () => {
    const events = await recorded.anthropicWebSearch();
    const chunks = streamOf(events);
    const choices = chunks.flatMap((chunk) => chunk.choices as Choice[]);
    const withAnnotations = choices.filter((c) => c.delta.annotations !== undefined);
    expect(withAnnotations).toHaveLength(1);
    const at = choices.indexOf(withAnnotations[0]!);
    expect(choices[at + 1]?.finish_reason).toBe('stop');
    expect(choices.slice(at + 1).every((c) => c.delta.content === undefined)).toBe(true);
    const response = await collectResponse(fromArray(events));
    expect(withAnnotations[0]!.delta.annotations).toEqual(toChatAnnotations(response.citations));
    expect(choices.map((c) => c.delta.content ?? '').join('')).toBe(
      response.content.map((p) => (p.type === 'text' ? p.text : '')).join(''),
    );
  });

  it('streams without a finish still flush the annotations before the closing chunk', () => {
    const choices = streamOf([
      { type: 'text-delta', text: 'hi' },
      { type: 'citation', citation: { url: 'https://a.test', title: 'A', startIndex: 0, endIndex: 2 } },
    ]).flatMap((chunk) => chunk.choices as Choice[]);
    expect(choices.at(-2)?.delta).toEqual({
      annotations: [
        {
          type: 'url_citation',
          url_citation: { url: 'https://a.test', title: 'A', start_index: 0, end_index: 2 },
        },
      ],
    });
    expect(choices.at(-1)?.finish_reason).toBe('stop');
  });

  it('toChatAnnotations drops citations without a URL (document spans)', () => {
    expect(
      toChatAnnotations([
        {
          title: 'benefits.txt',
          citedText: 'Cost reduction',
          startIndex: 101,
          endIndex: 115,
          sourceId: 'doc:0',
        },
        { url: 'https://x.test', startIndex: 3 },
      ]),
    ).toEqual([
      {
        type: 'url_citation',
        url_citation: { url: 'https://x.test', title: '', start_index: 3, end_index: 3 },
      },
    ]);
  });
});
