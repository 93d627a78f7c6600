import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  byteChunks,
  chunksToSse,
  fixturePath,
  loadCassette,
  loadChunks,
  loadJson,
  responseText,
} from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { CanonicalResponse } from '../../core/collect-response.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import { parseSse } from '../shared/sse.js';
import { decodeAnthropicStream } from './anthropic-stream-decoder.js';

const DIR = 'anthropic-messages';

/** The first streamed (SSE) response body of a cassette, byte-exact. */
function cassetteSse(name: string, interaction = 0): string {
  const interactions = loadCassette(`${DIR}/${name}`).filter((item) =>
    responseText(item).startsWith('event:'),
  );
  const found = interactions[interaction];
  if (!found) throw new Error(`${name} has no streamed interaction ${interaction}`);
  return responseText(found);
}

function vercelSse(name: string): string {
  return chunksToSse(loadChunks(`${DIR}/${name}`), { withEventNames: true });
}

function decode(sse: string, chunkSize = 7): AsyncIterableIterator<CanonicalEvent> {
  return decodeAnthropicStream(parseSse(byteChunks(sse, chunkSize)), { provider: 'anthropic' });
}

async function collect(sse: string, chunkSize = 7): Promise<CanonicalResponse> {
  return collectResponse(decode(sse, chunkSize));
}

async function events(sse: string): Promise<CanonicalEvent[]> {
  const out: CanonicalEvent[] = [];
  for await (const event of decode(sse)) out.push(event);
  return out;
}

function text(response: CanonicalResponse): string {
  return response.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function toolCalls(response: CanonicalResponse): Array<{ id: string; name: string; arguments: string }> {
  return response.content.flatMap((part) =>
    part.type === 'tool-call' ? [{ id: part.id, name: part.name, arguments: part.arguments }] : [],
  );
}

// --- An independent reading of the raw wire events, used as the oracle for every recorded stream. ---

interface RawEvent {
  type: string;
  index?: number;
  message?: {
    id: string;
    model: string;
    content?: Array<{ type: string; id?: string; name?: string; input?: unknown }>;
    stop_reason?: string | null;
    usage?: Record<string, unknown>;
  };
  content_block?: { type: string; id?: string; name?: string; input?: unknown; data?: string; text?: string };
  delta?: {
    type: string;
    text?: string;
    thinking?: string;
    signature?: string;
    partial_json?: string;
    stop_reason?: string;
  };
  usage?: Record<string, unknown>;
}

function rawEvents(sse: string): RawEvent[] {
  return sse
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => JSON.parse(line.slice(5)) as RawEvent);
}

interface Expected {
  id: string;
  model: string;
  text: string;
  reasoning: string;
  signatures: string[];
  redacted: string[];
  tools: Array<{ id: string; name: string; arguments: string }>;
  stopReason: string;
  usage: { input: number; output: number; cacheRead: number; cacheWrite: number };
}

function expectedFrom(sse: string): Expected {
  const raw = rawEvents(sse);
  const blockTypes = new Map<number, string>();
  const expected: Expected = {
    id: '',
    model: '',
    text: '',
    reasoning: '',
    signatures: [],
    redacted: [],
    tools: [],
    stopReason: '',
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  };
  const toolsByBlock = new Map<number, { id: string; name: string; arguments: string; input: unknown }>();
  const takeUsage = (usage: Record<string, unknown> | undefined): void => {
    const num = (key: string): number | undefined =>
      typeof usage?.[key] === 'number' ? (usage[key] as number) : undefined;
    expected.usage.input = num('input_tokens') ?? expected.usage.input;
    expected.usage.output = num('output_tokens') ?? expected.usage.output;
    expected.usage.cacheRead = num('cache_read_input_tokens') ?? expected.usage.cacheRead;
    expected.usage.cacheWrite = num('cache_creation_input_tokens') ?? expected.usage.cacheWrite;
  };
  for (const event of raw) {
    if (event.type === 'message_start' && event.message) {
      expected.id = event.message.id;
      expected.model = event.message.model;
      takeUsage(event.message.usage);
      // A turn resumed by programmatic tool calling arrives whole in message_start.
      for (const block of event.message.content ?? []) {
        if (block.type === 'tool_use') {
          toolsByBlock.set(-1 - toolsByBlock.size, {
            id: block.id ?? '',
            name: block.name ?? '',
            arguments: '',
            input: block.input,
          });
        }
      }
      expected.stopReason = event.message.stop_reason ?? expected.stopReason;
    } else if (event.type === 'content_block_start' && event.content_block && event.index !== undefined) {
      const block = event.content_block;
      blockTypes.set(event.index, block.type);
      if (block.type === 'redacted_thinking') expected.redacted.push(block.data ?? '');
      if (block.type === 'tool_use') {
        toolsByBlock.set(event.index, {
          id: block.id ?? '',
          name: block.name ?? '',
          arguments: '',
          input: block.input,
        });
      }
    } else if (event.type === 'content_block_delta' && event.delta && event.index !== undefined) {
      const type = blockTypes.get(event.index);
      const { delta } = event;
      if (type === 'text' && delta.type === 'text_delta') expected.text += delta.text;
      if (type === 'thinking' && delta.type === 'thinking_delta') expected.reasoning += delta.thinking;
      if (type === 'thinking' && delta.type === 'signature_delta')
        expected.signatures.push(delta.signature ?? '');
      const tool = toolsByBlock.get(event.index);
      if (tool && delta.type === 'input_json_delta') tool.arguments += delta.partial_json;
    } else if (event.type === 'message_delta') {
      expected.stopReason = event.delta?.stop_reason ?? expected.stopReason;
      takeUsage(event.usage);
    }
  }
  expected.tools = [...toolsByBlock.values()].map(({ input, ...tool }) => ({
    ...tool,
    arguments: tool.arguments === '' ? JSON.stringify(input ?? {}) : tool.arguments,
  }));
  return expected;
}

function recordedStreams(): Array<{ name: string; sse: string }> {
  const files = readdirSync(fixturePath(DIR));
  const streams: Array<{ name: string; sse: string }> = [];
  for (const file of files) {
    if (file.endsWith('.chunks.txt')) {
      // Some vercel files hold several responses of a multi-step run back to back: one stream each.
      const messages: unknown[][] = [];
      for (const chunk of loadChunks(`${DIR}/${file}`)) {
        if ((chunk as { type?: string }).type === 'message_start' || messages.length === 0) messages.push([]);
        messages.at(-1)?.push(chunk);
      }
      messages.forEach((chunks, i) => {
        streams.push({ name: `${file}#${i}`, sse: chunksToSse(chunks, { withEventNames: true }) });
      });
    }
    if (file.endsWith('.yaml')) {
      loadCassette(`${DIR}/${file}`).forEach((interaction, i) => {
        const body = responseText(interaction);
        if (body.startsWith('event:')) streams.push({ name: `${file}#${i}`, sse: body });
      });
    }
  }
  return streams;
}

describe('decodeAnthropicStream on recorded streams', () => {
  it('plain text raw SSE: text, ids, usage and finish, whatever the chunk boundaries', async () => {
    const sse = cassetteSse('pydantic-ai-anthropic-stream_plain_text_raw_sse.yaml');
    for (const size of [1, 3, 7, 64, sse.length]) {
      const response = await collect(sse, size);
      expect(response.id).toBe('msg_018E1hg8GoVTGEKQY3ovMcSJ');
      expect(response.model).toBe('claude-sonnet-4-5-20250929');
      expect(response.content).toEqual([{ type: 'text', text: '2' }]);
      expect(response.finishReason).toBe('stop');
      expect(response.rawFinishReason).toBe('end_turn');
      expect(response.usage).toEqual({
        inputTokens: 20,
        outputTokens: 5,
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
      });
    }
  });

  it('thinking stream: reasoning text, its signature, then the answer', async () => {
    const sse = cassetteSse('pydantic-ai-anthropic_model_thinking_part_stream.yaml');
    const expected = expectedFrom(sse);
    const response = await collect(sse);
    expect(response.content.map((part) => part.type)).toEqual(['reasoning', 'text']);
    const [reasoning, answer] = response.content;
    expect(reasoning).toEqual({
      type: 'reasoning',
      text: expected.reasoning,
      signature: expected.signatures[0],
    });
    expect(
      reasoning?.type === 'reasoning' &&
        reasoning.text.startsWith('This is a straightforward question about pedest'),
    ).toBe(true);
    expect(reasoning?.type === 'reasoning' && reasoning.signature?.startsWith('EvMCCkYICxgCKkCHP2cS')).toBe(
      true,
    );
    expect(answer).toEqual({ type: 'text', text: expected.text });
    expect(expected.text.startsWith('Here are the basic steps for safely crossing the street:')).toBe(true);
    expect(response.id).toBe('msg_01ALwQ87pTS7hH1PjSdC9wJD');
    expect(response.usage?.inputTokens).toBe(43);
    expect(response.usage?.outputTokens).toBe(expected.usage.output);
    expect(response.finishReason).toBe('stop');
  });

  it('redacted thinking stream: each redacted block kept whole and opaque', async () => {
    const sse = cassetteSse('pydantic-ai-anthropic_model_thinking_part_redacted_stream.yaml');
    const expected = expectedFrom(sse);
    expect(expected.redacted).toHaveLength(2);
    const response = await collect(sse);
    expect(response.content.slice(0, 2)).toEqual(
      expected.redacted.map((data) => ({ type: 'reasoning', text: '', redactedData: data })),
    );
    expect(response.content.slice(2)).toEqual([{ type: 'text', text: expected.text }]);
    expect(response.usage).toMatchObject({ inputTokens: 92, outputTokens: 189 });
  });

  it('client tool_use with streamed input_json_delta, beside a server tool whose input is ignored', async () => {
    const sse = cassetteSse('pydantic-ai-anthropic_native_tool_search_streaming.yaml');
    const response = await collect(sse);
    expect(toolCalls(response)).toEqual([
      {
        id: 'toolu_01EFn5wTNBYA8Reni8rbmnHT',
        name: 'get_exchange_rate',
        arguments: '{"from_currency": "USD", "to_currency": "EUR"}',
      },
    ]);
    expect(text(response)).toBe(
      'Let me search for a tool that can provide current exchange rate information.' +
        'I found the right tool! Let me fetch the current USD to EUR exchange rate for you.',
    );
    expect(response.finishReason).toBe('tool_calls');
    expect(response.rawFinishReason).toBe('tool_use');
    expect(response.usage).toEqual({
      inputTokens: 1591,
      outputTokens: 175,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it('tool call split over several input_json_delta events (vercel json-tool)', async () => {
    const response = await collect(vercelSse('vercel-anthropic-json-tool.1.chunks.txt'));
    expect(toolCalls(response)).toEqual([
      {
        id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA',
        name: 'json',
        arguments: '{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]}',
      },
    ]);
    expect(response.finishReason).toBe('tool_calls');
    expect(response.usage).toMatchObject({ inputTokens: 849, outputTokens: 47 });
  });

  it('tool call without arguments gets "{}" as its JSON arguments', async () => {
    const sse = vercelSse('vercel-anthropic-tool-no-args.chunks.txt');
    const response = await collect(sse);
    expect(response.content).toEqual([
      { type: 'text', text: "I'll update the issue list for you." },
      { type: 'tool-call', id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList', arguments: '{}' },
    ]);
    const toolEvents = (await events(sse)).filter((event) => event.type.startsWith('tool-call'));
    expect(toolEvents).toEqual([
      { type: 'tool-call-start', index: 0, id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'tool-call-end', index: 0 },
    ]);
  });

  it('prompt-cache usage: reads and writes are summed into inputTokens and reported apart', async () => {
    const response = await collect(
      vercelSse('vercel-anthropic-code-execution-20260120-prompt-cache.1.chunks.txt'),
    );
    // message_delta's final counts: input 6, cache_creation 3337, cache_read 6289, output 198.
    expect(response.usage).toEqual({
      inputTokens: 6 + 3337 + 6289,
      outputTokens: 198,
      cachedInputTokens: 6289,
      cacheWriteTokens: 3337,
      reasoningTokens: 0,
    });
  });

  it('a turn that arrives whole in message_start (programmatic tool calling) still yields its tool call', async () => {
    const chunks = loadChunks(`${DIR}/vercel-anthropic-programmatic-tool-calling.1.chunks.txt`);
    const resumed = chunks.slice(167, 169);
    expect(resumed.map((chunk) => (chunk as { type: string }).type)).toEqual([
      'message_start',
      'message_stop',
    ]);
    const sse = chunksToSse(resumed, { withEventNames: true });
    expect(await events(sse)).toEqual([
      { type: 'response-start', id: 'msg_01KSVw3xmXbMNJPNMt46BC5W', model: 'claude-sonnet-4-5-20250929' },
      {
        type: 'usage',
        usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 },
      },
      { type: 'tool-call-start', index: 0, id: 'toolu_015dGLMbwBKv1ZRQr6KdJzeH', name: 'rollDie' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"player":"player2"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', reason: 'tool_calls', raw: 'tool_use' },
    ]);
  });

  describe.each(recordedStreams())('every recorded stream: $name', ({ sse }) => {
    it('decodes to exactly what the raw events say', async () => {
      const expected = expectedFrom(sse);
      const response = await collect(sse, 13);
      expect(response.id).toBe(expected.id);
      expect(response.model).toBe(expected.model);
      expect(text(response)).toBe(expected.text);
      expect(toolCalls(response)).toEqual(expected.tools);
      for (const call of toolCalls(response)) expect(() => JSON.parse(call.arguments)).not.toThrow();
      const reasoning = response.content.filter((part) => part.type === 'reasoning');
      expect(reasoning.map((part) => part.text).join('')).toBe(expected.reasoning);
      expect(reasoning.flatMap((part) => (part.signature ? [part.signature] : []))).toEqual(
        expected.signatures,
      );
      expect(reasoning.flatMap((part) => (part.redactedData ? [part.redactedData] : []))).toEqual(
        expected.redacted,
      );
      expect(response.rawFinishReason).toBe(expected.stopReason);
      const { input, output, cacheRead, cacheWrite } = expected.usage;
      expect(response.usage).toMatchObject({
        inputTokens: input + cacheRead + cacheWrite,
        outputTokens: output,
        cachedInputTokens: cacheRead,
        cacheWriteTokens: cacheWrite,
      });
    });
  });
});

describe('decodeAnthropicStream failures', () => {
  const plain = cassetteSse('pydantic-ai-anthropic-stream_plain_text_raw_sse.yaml');
  const firstDelta = plain.indexOf('event: content_block_delta');
  const afterFirstDelta = plain.indexOf('event: content_block_stop');

  async function failure(sse: string): Promise<{ error: unknown; seen: CanonicalEvent[] }> {
    const seen: CanonicalEvent[] = [];
    try {
      for await (const event of decode(sse)) seen.push(event);
    } catch (error) {
      return { error, seen };
    }
    throw new Error('expected the stream to fail');
  }

  it.each([
    ['overloaded_error', 'Overloaded', 'overloaded', true],
    ['rate_limit_error', 'Rate limited', 'rate_limit', true],
    ['api_error', 'Internal server error', 'transient', true],
    ['invalid_request_error', 'Bad thing', 'invalid_request', false],
    ['some_new_error', 'New', 'transient', true],
  ] as const)(
    'a mid-stream %s error event becomes a %s GatewayError after the events before it',
    async (type, message, failureClass, retryable) => {
      const errorEvent = `event: error\ndata: {"type":"error","error":{"type":"${type}","message":"${message}"}}\n\n`;
      const { error, seen } = await failure(plain.slice(0, afterFirstDelta) + errorEvent);
      expect(error).toBeInstanceOf(GatewayError);
      const gatewayError = error as GatewayError;
      expect(gatewayError.failureClass).toBe(failureClass);
      expect(gatewayError.retryable).toBe(retryable);
      expect(gatewayError.provider).toBe('anthropic');
      expect(gatewayError.message).toContain(message);
      expect(seen.filter((event) => event.type === 'text-delta')).toEqual([
        { type: 'text-delta', text: '2' },
      ]);
    },
  );

  it('a stream cut before message_stop is a transient error', async () => {
    const cut = plain.slice(0, plain.indexOf('event: message_stop'));
    const { error, seen } = await failure(cut);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).failureClass).toBe('transient');
    expect((error as GatewayError).message).toContain('stream ended early');
    expect(seen.some((event) => event.type === 'finish')).toBe(true);
  });

  it('ignores unknown events, unknown block types and unknown delta types', async () => {
    const injected =
      plain.slice(0, firstDelta) +
      'event: brand_new_event\ndata: {"type":"brand_new_event","x":1}\n\n' +
      'event: content_block_start\ndata: {"type":"content_block_start","index":7,"content_block":{"type":"future_block","foo":{}}}\n\n' +
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":7,"delta":{"type":"input_json_delta","partial_json":"{}"}}\n\n' +
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"future_delta","stuff":true}}\n\n' +
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":7}\n\n' +
      plain.slice(firstDelta);
    const response = await collect(injected);
    expect(response.content).toEqual([{ type: 'text', text: '2' }]);
    expect(response.finishReason).toBe('stop');
  });
});

describe('decodeAnthropicStream citations', () => {
  const APPLE_URL =
    'https://www.apple.com/newsroom/2025/09/the-all-new-apple-ginza-opens-this-friday-september-26-in-tokyo/';
  const APPLE_TITLE = 'The all-new Apple Ginza opens this Friday, September 26, in Tokyo - Apple';

  it('web search stream: each citations_delta cites its whole text block, after the block', async () => {
    const decoded = await events(vercelSse('vercel-anthropic-web-search-tool.1.chunks.txt'));
    const response = await collectResponse(
      (async function* () {
        yield* decoded;
      })(),
    );
    const citations = response.citations ?? [];
    expect(citations.map((c) => [c.startIndex, c.endIndex])).toEqual([
      [116, 375],
      [116, 375],
      [116, 375],
      [376, 601],
      [376, 601],
      [635, 913],
      [915, 1254],
      [1308, 1531],
      [1308, 1531],
      [1559, 1741],
      [1744, 1834],
      [1837, 1998],
      [2022, 2182],
      [2022, 2182],
    ]);
    expect(citations[0]).toEqual({
      url: APPLE_URL,
      title: APPLE_TITLE,
      citedText:
        'Apple today announced the grand reopening of Apple Ginza on Friday, September 26, located in the vibrant Ginza district.',
      startIndex: 116,
      endIndex: 375,
    });
    expect(citations[2]?.citedText).toBe(
      'Apple Ginza opens to customers Friday, September 26, at 10 a.m. JST. ',
    );
    const all = text(response);
    expect(all.slice(116, 375).startsWith('Apple today announced the grand reopening of Apple Ginza')).toBe(
      true,
    );
    expect(all.slice(2022, 2182).startsWith('With iOS 26 officially launched')).toBe(true);
    // A citation follows the text it cites: emitted at the block's stop, once its span is known.
    const firstCitation = decoded.findIndex((e) => e.type === 'citation');
    const textBefore = decoded
      .slice(0, firstCitation)
      .reduce((n, e) => n + (e.type === 'text-delta' ? e.text.length : 0), 0);
    expect(textBefore).toBe(375);
  });

  it('whole text blocks (message_start content) carry their citations with spans', async () => {
    const body = loadJson(`${DIR}/vercel-anthropic-web-search-tool.1.json`) as {
      id: string;
      content: unknown[];
    };
    const sse =
      `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: body.id, content: body.content, stop_reason: 'end_turn' } })}\n\n` +
      'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    const response = await collect(sse);
    expect(response.citations?.map((c) => [c.url, c.startIndex, c.endIndex])).toEqual([
      ['https://acecomments.mu.nu/?post=411647', 237, 431],
      ['https://www.crescendo.ai/news/latest-ai-news-and-updates', 687, 943],
      ['https://www.crescendo.ai/news/latest-ai-news-and-updates', 947, 1338],
    ]);
    expect(response.citations?.[0]).toMatchObject({
      title: 'Daily Tech News 26 September 2024',
      citedText: expect.stringMatching(/^Daily Tech News 26 September 2024 · Top Story Caroline Ellison/),
    });
    expect(text(response).slice(237, 431).startsWith('Caroline Ellison')).toBe(true);
  });

  it('document citations (char_location) keep cited text, document title and index; junk is skipped', async () => {
    const sse = [
      { type: 'message_start', message: { id: 'm', content: [] } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: 'Hi. ', citations: [] } },
      {
        type: 'content_block_delta',
        index: 0,
        delta: {
          type: 'citations_delta',
          citation: {
            type: 'char_location',
            cited_text: 'the grass is green',
            document_index: 0,
            document_title: 'Facts',
            start_char_index: 0,
            end_char_index: 18,
          },
        },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation: 'junk' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Grass is green.' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' } },
      { type: 'message_stop' },
    ]
      .map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
      .join('');
    const response = await collect(sse);
    expect(response.citations).toEqual([
      { title: 'Facts', citedText: 'the grass is green', sourceId: '0', startIndex: 0, endIndex: 19 },
    ]);
  });

  it('streams without citations emit no citation event', async () => {
    const response = await collect(vercelSse('vercel-anthropic-text.chunks.txt'));
    expect(response.citations).toBeUndefined();
  });
});
