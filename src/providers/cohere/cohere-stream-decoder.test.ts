import { describe, expect, it } from 'vitest';
import { byteChunks, chunksToSse, loadChunks, loadJson } from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import { parseSse } from '../shared/sse.js';
import { decodeCohereStream } from './cohere-stream-decoder.js';

/** Cohere's wire has `event:` names; the vercel chunks do not. Both must decode the same. */
async function decode(file: string, withEventNames = true, chunkSize = 7): Promise<CanonicalEvent[]> {
  const sse = chunksToSse(loadChunks(`cohere/${file}`), { withEventNames });
  const events: CanonicalEvent[] = [];
  for await (const event of decodeCohereStream(parseSse(byteChunks(sse, chunkSize)))) events.push(event);
  return events;
}

async function* fromArray(events: CanonicalEvent[]): AsyncGenerator<CanonicalEvent> {
  yield* events;
}

async function failure(text: string): Promise<GatewayError> {
  try {
    for await (const _ of decodeCohereStream(parseSse(byteChunks(text)))) {
      // drain
    }
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

describe('decodeCohereStream on recorded streams', () => {
  it('text: reassembles the answer, id, usage and COMPLETE', async () => {
    const events = await decode('vercel-cohere-text.chunks.txt');
    expect(events[0]).toEqual({ type: 'response-start', id: '321d178c-2c12-44d3-ae42-2f5510f6b1cc' });
    const response = await collectResponse(fromArray(events));
    expect(response.content).toEqual([{ type: 'text', text: 'The capital of France is Paris.' }]);
    // The non-stream recording of the same prompt has the same text.
    const body = loadJson('cohere/vercel-cohere-text.json') as {
      message: { content: Array<{ text: string }> };
    };
    expect(response.content[0]).toMatchObject({ text: body.message.content[0]!.text });
    expect(response.usage).toEqual({ inputTokens: 507, outputTokens: 10, cachedInputTokens: 448 });
    expect(response.finishReason).toBe('stop');
    expect(response.rawFinishReason).toBe('COMPLETE');
  });

  it('reasoning: thinking deltas become reasoning, then the text', async () => {
    const response = await collectResponse(
      fromArray(await decode('vercel-cohere-reasoning.chunks.txt', false, 64)),
    );
    expect(response.content).toEqual([
      {
        type: 'reasoning',
        text: "The user is asking for the sum of 2 and 2. Since this is a straightforward arithmetic problem, I don't need to use any tools. I can calculate the answer directly.",
      },
      { type: 'text', text: 'The answer to 2 + 2 is 4.' },
    ]);
    expect(response.usage).toEqual({ inputTokens: 1394, outputTokens: 54, cachedInputTokens: 1360 });
    expect(response.finishReason).toBe('stop');
  });

  it('tool calls: the tool plan is text, two calls with exact ids, names and streamed arguments', async () => {
    const events = await decode('vercel-cohere-tool-call.chunks.txt');
    const response = await collectResponse(fromArray(events));
    expect(response.content).toEqual([
      {
        type: 'text',
        text: 'I will use the weather tool to find the weather in San Francisco and the cityAttractions tool to find attractions in San Francisco.',
      },
      {
        type: 'tool-call',
        id: 'weather_e8p4pn45zt0t',
        name: 'weather',
        arguments: '{"location": "San Francisco"}',
      },
      {
        type: 'tool-call',
        id: 'cityAttractions_pyxssbwnq9fq',
        name: 'cityAttractions',
        arguments: '{"city": "San Francisco"}',
      },
    ]);
    // Each call is closed when Cohere closes it, before the next one starts.
    const order = events
      .filter((e) => e.type === 'tool-call-start' || e.type === 'tool-call-end')
      .map((e) => `${e.type}:${(e as { index: number }).index}`);
    expect(order).toEqual(['tool-call-start:0', 'tool-call-end:0', 'tool-call-start:1', 'tool-call-end:1']);
    expect(response.usage).toEqual({ inputTokens: 1549, outputTokens: 95, cachedInputTokens: 1504 });
    expect(response.finishReason).toBe('tool_calls');
    expect(response.rawFinishReason).toBe('TOOL_CALL');
  });

  it('a tool call without argument deltas gets "{}"', async () => {
    const events = await decode('vercel-cohere-empty-tool-call.chunks.txt');
    expect(events.filter((e) => e.type.startsWith('tool-call'))).toEqual([
      { type: 'tool-call-start', index: 0, id: 'currentTime_y46ar19t5gvw', name: 'currentTime' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'tool-call-end', index: 0 },
    ]);
    const response = await collectResponse(fromArray(events));
    expect(response.content[0]).toEqual({
      type: 'text',
      text: 'I will use the currentTime tool to find the current time.',
    });
    expect(response.usage).toEqual({ inputTokens: 1445, outputTokens: 43, cachedInputTokens: 704 });
  });
});

describe('decodeCohereStream edge cases', () => {
  const start =
    'event: message-start\ndata: {"id":"m1","type":"message-start","delta":{"message":{"role":"assistant"}}}\n\n';
  const end =
    'event: message-end\ndata: {"type":"message-end","delta":{"finish_reason":"MAX_TOKENS","usage":{"tokens":{"input_tokens":3,"output_tokens":2}}}}\n\n';

  it('decodes a citation and ignores debug and unknown events and fields', async () => {
    const text =
      start +
      'event: content-start\ndata: {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}}\n\n' +
      'event: content-delta\ndata: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hi","new":1}}}}\n\n' +
      'event: citation-start\ndata: {"type":"citation-start","index":0,"delta":{"message":{"citations":{"start":0,"end":2,"sources":[]}}}}\n\n' +
      'event: citation-end\ndata: {"type":"citation-end","index":0}\n\n' +
      'event: debug\ndata: {"type":"debug","prompt":"x"}\n\n' +
      'event: brand-new\ndata: {"type":"brand-new","delta":42}\n\n' +
      'event: content-end\ndata: {"type":"content-end","index":0}\n\n' +
      end;
    const events: CanonicalEvent[] = [];
    for await (const event of decodeCohereStream(parseSse(byteChunks(text, 5)))) events.push(event);
    expect(events).toEqual([
      { type: 'response-start', id: 'm1' },
      { type: 'text-delta', text: 'Hi' },
      { type: 'citation', citation: { startIndex: 0, endIndex: 2 } },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 2 } },
      { type: 'finish', reason: 'length', raw: 'MAX_TOKENS' },
    ]);
  });

  it('a stream cut before message-end is a transient failure', async () => {
    const error = await failure(start);
    expect(error.failureClass).toBe('transient');
    expect(error.message).toMatch(/ended before the response finished/);
  });

  it('malformed JSON in a data line is a transient failure', async () => {
    const error = await failure(`${start}data: {"type":"content-delta",\n\n`);
    expect(error.failureClass).toBe('transient');
  });

  it('a tool call Cohere sends without an id gets a generated one', async () => {
    const text =
      start +
      'data: {"type":"tool-call-start","index":0,"delta":{"message":{"tool_calls":{"type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}}}}}\n\n' +
      'data: {"type":"tool-call-end","index":0}\n\n' +
      end;
    const events: CanonicalEvent[] = [];
    for await (const event of decodeCohereStream(parseSse(byteChunks(text)), {
      newToolCallId: () => 'gen_1',
    }))
      events.push(event);
    expect(events.filter((e) => e.type.startsWith('tool-call'))).toEqual([
      { type: 'tool-call-start', index: 0, id: 'gen_1', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":1}' },
      { type: 'tool-call-end', index: 0 },
    ]);
  });
});

describe('decodeCohereStream citations', () => {
  // No streamed citations were recorded: the recorded answer is replayed in the documented stream shape
  // (https://docs.cohere.com/docs/rag-streaming), one citation-start per citation of the answer.
  const body = loadJson('cohere/vercel-cohere-citations.json') as {
    id: string;
    message: { content: Array<{ text: string }>; citations: unknown[] };
    finish_reason: string;
    usage: unknown;
  };
  const text = body.message.content[0]!.text;
  const chunks = [
    { id: body.id, type: 'message-start', delta: { message: { role: 'assistant', citations: [] } } },
    { type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } },
    { type: 'content-delta', index: 0, delta: { message: { content: { text } } } },
    { type: 'content-end', index: 0 },
    ...body.message.citations.flatMap((citation, index) => [
      { type: 'citation-start', index, delta: { message: { citations: citation } } },
      { type: 'citation-end', index },
    ]),
    { type: 'message-end', delta: { finish_reason: body.finish_reason, usage: body.usage } },
  ];

  it('emits one citation event per citation-start, with spans into the text', async () => {
    const events: CanonicalEvent[] = [];
    const sse = chunksToSse(chunks, { withEventNames: true });
    for await (const event of decodeCohereStream(parseSse(byteChunks(sse, 13)))) events.push(event);
    const response = await collectResponse(fromArray(events));
    expect(response.content).toEqual([{ type: 'text', text }]);
    expect(response.citations).toEqual([
      {
        title: 'benefits.txt',
        citedText: 'Automation of tasks',
        startIndex: 52,
        endIndex: 71,
        sourceId: 'doc:0',
      },
      {
        title: 'benefits.txt',
        citedText: 'Better decision-making',
        startIndex: 75,
        endIndex: 97,
        sourceId: 'doc:0',
      },
      {
        title: 'benefits.txt',
        citedText: 'Cost reduction',
        startIndex: 101,
        endIndex: 115,
        sourceId: 'doc:0',
      },
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop', raw: 'COMPLETE' });
  });

  it('recorded streams without citations emit no citation event', async () => {
    const events = await decode('vercel-cohere-text.chunks.txt');
    expect(events.some((e) => e.type === 'citation')).toBe(false);
  });
});
