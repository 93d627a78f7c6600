import { EventStreamCodec } from '@smithy/eventstream-codec';
import { describe, expect, it } from 'vitest';
import { byteChunks, cassetteBytes, loadCassette, loadChunks } from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import { decodeEventStream } from './bedrock-event-stream.js';
import type { BedrockStreamEvent } from './bedrock-frame-events.js';
import { bedrockEventsFromFrames } from './bedrock-frame-events.js';
import { decodeBedrockStream } from './bedrock-stream-decoder.js';

/** vercel's chunks are one decoded event per line, keyed by its `:event-type`: `{"contentBlockDelta": {...}}`. */
function chunkEvents(file: string): BedrockStreamEvent[] {
  return loadChunks(`bedrock-converse/${file}`).map((chunk) => {
    const [type, payload] = Object.entries(chunk as Record<string, unknown>)[0]!;
    return { type, payload };
  });
}

/** The raw ConverseStream body of a cassette: binary event-stream frames. */
const rawBody = (file: string, interaction = 0): Uint8Array =>
  cassetteBytes(`bedrock-converse/${file}`, interaction);

/** The full path the adapter takes: bytes → frames (CRC-checked) → events → canonical events. */
function decodeBytes(body: AsyncIterable<Uint8Array>, responseId?: string): AsyncIterable<CanonicalEvent> {
  const options = { provider: 'aws', ...(responseId ? { responseId } : {}) };
  return decodeBedrockStream(bedrockEventsFromFrames(decodeEventStream(body, options), options), options);
}

/** Decoded events as the upstream would hand them over, one by one. */
function decodeList(
  list: BedrockStreamEvent[],
  options?: { provider?: string },
): AsyncIterable<CanonicalEvent> {
  async function* arriving(): AsyncGenerator<BedrockStreamEvent> {
    yield* list;
  }
  return decodeBedrockStream(arriving(), options);
}

async function events(source: AsyncIterable<CanonicalEvent>): Promise<CanonicalEvent[]> {
  const out: CanonicalEvent[] = [];
  for await (const event of source) out.push(event);
  return out;
}

async function failure(source: AsyncIterable<CanonicalEvent>): Promise<GatewayError> {
  try {
    for await (const _ of source) {
      // drain
    }
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the stream to fail');
}

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (value) => new TextEncoder().encode(value),
);

function frame(headers: Record<string, string>, payload: string): Uint8Array {
  return codec.encode({
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, { type: 'string' as const, value }]),
    ),
    body: new TextEncoder().encode(payload),
  });
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

describe('decodeBedrockStream on vercel chunks (decoded event payloads)', () => {
  it('reassembles text, usage and the finish reason', async () => {
    const out = await events(decodeList(chunkEvents('vercel-amazon-bedrock-text.chunks.txt')));
    const response = await collectResponse(decodeList(chunkEvents('vercel-amazon-bedrock-text.chunks.txt')));
    expect(response.content).toEqual([
      {
        type: 'text',
        text: 'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r\'s in "strawberry."',
      },
    ]);
    expect(response.usage).toEqual({ inputTokens: 22, outputTokens: 55 });
    expect(response.finishReason).toBe('stop');
    expect(response.rawFinishReason).toBe('end_turn');
    // Bedrock sends messageStop before metadata; usage is emitted first all the same.
    expect(out.slice(-2).map((event) => event.type)).toEqual(['usage', 'finish']);
    expect(out[0]).toEqual({ type: 'response-start' });
  });

  it('keeps reasoning text and its signature, then the answer', async () => {
    const response = await collectResponse(
      decodeList(chunkEvents('vercel-amazon-bedrock-reasoning.chunks.txt')),
    );
    expect(response.content).toEqual([
      {
        type: 'reasoning',
        text: 'Let me count the r\'s in "strawberry":\n\ns-t-r-a-w-b-e-r-r-y\n\nr appears at positions 3, 8, and 9.\n\nSo there are 3 r\'s.',
        signature:
          'Ep0CCkgICxABGAIqQOWPB6/PmA5SW9jC6FvaNq3E+U9ev4FMWcFWuAho+VGLCtazKc5WDjQ5i0MuxsY0o5pKDSVWVKii8KJDusXH4eASDK7jyzuk8iij7fJNihoMxHO9haYzt48R36HVIjCb/EmIFrJLIXShqN6DN//T6vZBtO9qj1QhNWJa3CGm8VZoq80S2/Ok4U0aVaIDiZcqggHC2b8BHuv8BHZrmsR0wjU1ynansBGMdfjnG+iIv8R5lPpRmYGhSVwNybwP3aQZ6o8Dr48Rau8TJfdsArW+r7bvL7bPs4f5nnlp2vG7WkMzWwABHK3fdM44zZ1GZQaWyECNWR2GfY6dXiklo94vgpFTPuZ97mfiN3LY6uYyBwL8RkDaGAE=',
      },
      { type: 'text', text: 'There are **3** r\'s in "strawberry":\n\n1. st**r**awbe**r****r**y' },
    ]);
    expect(response.usage).toEqual({ inputTokens: 51, outputTokens: 94 });
  });

  it('streams tool input as argument deltas under the recorded id and name', async () => {
    const out = await events(decodeList(chunkEvents('vercel-amazon-bedrock-tool-call.1.chunks.txt')));
    expect(out.filter((event) => event.type.startsWith('tool-call'))).toEqual([
      { type: 'tool-call-start', index: 0, id: 'tool-use-id', name: 'test-tool' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"value":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"Sparkle Day"}' },
      { type: 'tool-call-end', index: 0 },
    ]);
    const response = await collectResponse(
      decodeList(chunkEvents('vercel-amazon-bedrock-tool-call.1.chunks.txt')),
    );
    expect(response.finishReason).toBe('tool_calls');
    expect(response.usage).toEqual({ inputTokens: 125, outputTokens: 45 });
  });

  it('gives a tool call with an empty streamed input the arguments {}', async () => {
    const response = await collectResponse(
      decodeList(chunkEvents('vercel-amazon-bedrock-tool-no-args.chunks.txt')),
    );
    expect(response.content).toEqual([
      { type: 'text', text: "I'll update the issue list for you." },
      { type: 'tool-call', id: 'tool-use-id', name: 'updateIssueList', arguments: '{}' },
    ]);
  });

  it('numbers several tool calls in order, between text', async () => {
    const response = await collectResponse(
      decodeList(chunkEvents('vercel-amazon-bedrock-json-tool-text-then-weather-then-json.1.chunks.txt')),
    );
    expect(response.content).toEqual([
      { type: 'text', text: '2 + 2 equals 4. Now let me check the weather for you.' },
      { type: 'tool-call', id: 'weather-tool-1', name: 'weather', arguments: '{"location":"San Francisco"}' },
      { type: 'tool-call', id: 'weather-tool-2', name: 'weather', arguments: '{"location":"London"}' },
    ]);
    expect(response.usage).toEqual({ inputTokens: 500, outputTokens: 100 });
  });

  it.each([
    'vercel-amazon-bedrock-json-only-text-first.1.chunks.txt',
    'vercel-amazon-bedrock-json-other-tool.1.chunks.txt',
    'vercel-amazon-bedrock-json-tool.1.chunks.txt',
    'vercel-amazon-bedrock-json-tool.2.chunks.txt',
    'vercel-amazon-bedrock-json-tool.3.chunks.txt',
    'vercel-amazon-bedrock-json-with-tool.1.chunks.txt',
    'vercel-amazon-bedrock-json-with-tools.1.chunks.txt',
  ])('%s: every tool call parses and the stream finishes with tool_calls', async (file) => {
    const response = await collectResponse(decodeList(chunkEvents(file)));
    const calls = response.content.filter((part) => part.type === 'tool-call');
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(() => JSON.parse(call.arguments)).not.toThrow();
    expect(response.finishReason).toBe('tool_calls');
  });

  it('reports cache reads and writes from stream metadata', async () => {
    // The usage the cache cassette recorded, as a ConverseStream metadata event carries it.
    const usage = (
      loadCassette('bedrock-converse/pydantic-ai-bedrock_cache_write_and_read.yaml')[1]!.response
        .parsed_body as { usage: unknown }
    ).usage;
    const response = await collectResponse(
      decodeList([
        { type: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: '21' } } },
        { type: 'messageStop', payload: { stopReason: 'end_turn' } },
        { type: 'metadata', payload: { usage } },
      ]),
    );
    expect(response.usage).toEqual({
      inputTokens: 1324,
      outputTokens: 5,
      cachedInputTokens: 1322,
      cacheWriteTokens: 0,
    });
  });

  it('skips unknown events and deltas, and server-side tool blocks', async () => {
    const response = await collectResponse(
      decodeList([
        { type: 'somethingNew', payload: { x: 1 } },
        {
          type: 'contentBlockStart',
          payload: {
            contentBlockIndex: 0,
            start: { toolUse: { toolUseId: 's1', name: 'nova_code_interpreter', type: 'server_tool_use' } },
          },
        },
        {
          type: 'contentBlockDelta',
          payload: { contentBlockIndex: 0, delta: { toolUse: { input: '{"snippet":"1+1"}' } } },
        },
        { type: 'contentBlockStop', payload: { contentBlockIndex: 0 } },
        { type: 'contentBlockDelta', payload: { contentBlockIndex: 1, delta: { citation: { title: 't' } } } },
        { type: 'contentBlockDelta', payload: { contentBlockIndex: 1, delta: { text: 'two' } } },
        { type: 'messageStop', payload: { stopReason: 'end_turn' } },
      ]),
    );
    expect(response.content).toEqual([{ type: 'text', text: 'two' }]);
  });

  it('fails a stream that ends before messageStop', async () => {
    const partial = chunkEvents('vercel-amazon-bedrock-text.chunks.txt').slice(0, 5);
    const error = await failure(decodeList(partial, { provider: 'aws' }));
    expect(error.failureClass).toBe('transient');
    expect(error.message).toBe('aws: stream ended early');
  });
});

describe('decodeBedrockStream on raw recorded event-stream bodies (frames + CRC + decoding)', () => {
  it.each([1, 7, 100, 4096])('plain text, chunked by %i bytes', async (size) => {
    const body = rawBody('pydantic-ai-bedrock_model_stream.yaml');
    const response = await collectResponse(decodeBytes(byteChunks(body, size), 'req-1'));
    expect(response.id).toBe('req-1');
    expect(response.content).toEqual([
      {
        type: 'text',
        text: 'The capital of France is Paris. Paris is not only the capital city but also the most populous city in France, and it is a major center for culture, commerce, fashion, and international diplomacy. Known for its historical landmarks, such as the Eiffel Tower, the Louvre Museum, and Notre-Dame Cathedral, Paris is often referred to as "The City of Light" or "The City of Love."',
      },
    ]);
    expect(response.usage).toEqual({ inputTokens: 13, outputTokens: 82 });
    expect(response.finishReason).toBe('stop');
  });

  it('a tool call with streamed input, then the answer to its result', async () => {
    const call = await collectResponse(
      decodeBytes(byteChunks(rawBody('pydantic-ai-bedrock_model_iter_stream.yaml', 0), 13)),
    );
    expect(call.content).toEqual([
      {
        type: 'text',
        text: '<thinking> To find the temperature of the capital of France, I need to first determine the capital of France and then get the current temperature in that city. The capital of France is Paris. I will use the "get_temperature" tool to find the current temperature in Paris.</thinking>\n',
      },
      {
        type: 'tool-call',
        id: 'tooluse_lAG_zP8QRHmSYOwZzzaCqA',
        name: 'get_temperature',
        arguments: '{"city":"Paris"}',
      },
    ]);
    expect(call.finishReason).toBe('tool_calls');
    expect(call.rawFinishReason).toBe('tool_use');
    expect(call.usage).toEqual({ inputTokens: 471, outputTokens: 91 });

    const answer = await collectResponse(
      decodeBytes(byteChunks(rawBody('pydantic-ai-bedrock_model_iter_stream.yaml', 1), 29)),
    );
    expect(answer.content).toEqual([
      { type: 'text', text: 'The current temperature in Paris, the capital of France, is 30°C.' },
    ]);
  });

  it('Claude reasoning deltas with the signature preserved', async () => {
    const response = await collectResponse(
      decodeBytes(byteChunks(rawBody('pydantic-ai-bedrock_model_thinking_part_stream.yaml'), 11)),
    );
    expect(response.content).toHaveLength(2);
    const [reasoning, text] = response.content;
    expect(reasoning).toMatchObject({
      type: 'reasoning',
      text: 'The user has greeted me with a simple "Hello". I should respond in a friendly and welcoming manner. This is a straightforward greeting, so I\'ll respond warmly and ask how I can help them today.',
    });
    const signature = (reasoning as { signature?: string }).signature!;
    expect(
      signature.startsWith(
        'Eu0CCkgIBxABGAIqQJDccbDQkr81n7QjZ0Fi43umSvw0YvnGkMPEpaGAa2btYHyWw06KhwckvsnKzpKcxiRJT35meoG4',
      ),
    ).toBe(true);
    expect(signature.length).toBeGreaterThan(400);
    expect(text).toEqual({ type: 'text', text: "Hello! It's nice to meet you. How can I help you today?" });
    expect(response.usage).toEqual({ inputTokens: 36, outputTokens: 73 });
  });

  it('redacted reasoning blocks arrive whole, as opaque data', async () => {
    const response = await collectResponse(
      decodeBytes(byteChunks(rawBody('pydantic-ai-bedrock_model_thinking_part_redacted_stream.yaml'), 256)),
    );
    expect(response.content.map((part) => part.type)).toEqual(['reasoning', 'reasoning', 'text']);
    const [first, second] = response.content as Array<{ redactedData?: string; text: string }>;
    expect(first!.text).toBe('');
    expect(
      first!.redactedData!.startsWith(
        'RXRrRUNrZ0lCeEFCR0FJcVFKVGZxUy9QWXVBRlplT2xzNlI4dUdOMDE0WU5UN1lESUZ1aE55eXdvWDFDamY5',
      ),
    ).toBe(true);
    expect(
      second!.redactedData!.startsWith(
        'RXFBRENrZ0lCeEFCR0FJcVFCM2g1R3lISkQ0aG9jUmNoVXEySTQwQ2hSTGRweGpWbDB4Wmt5Vlpycms2',
      ),
    ).toBe(true);
    expect(
      (response.content[2] as { text: string }).text.startsWith(
        "I notice you've sent what appears to be some kind of command",
      ),
    ).toBe(true);
    expect(response.usage).toEqual({ inputTokens: 92, outputTokens: 253 });
  });

  it('native structured output streams as text', async () => {
    const response = await collectResponse(
      decodeBytes(byteChunks(rawBody('pydantic-ai-bedrock_native_output_stream.yaml'), 50)),
    );
    expect(response.content).toEqual([
      { type: 'text', text: '{"city":"Paris","country":"France","population":2161000}' },
    ]);
    expect(response.usage).toEqual({ inputTokens: 210, outputTokens: 18 });
  });

  it.each([
    ['throttlingException', 'rate_limit', true],
    ['serviceUnavailableException', 'overloaded', true],
    ['validationException', 'invalid_request', false],
    ['modelStreamErrorException', 'transient', true],
    ['internalServerException', 'transient', true],
    ['accessDeniedException', 'permission', false],
  ] as const)('an %s frame mid-stream becomes a %s error', async (exception, failureClass, retryable) => {
    const recorded = rawBody('pydantic-ai-bedrock_model_stream.yaml');
    const view = new DataView(recorded.buffer, recorded.byteOffset);
    const firstTwo = view.getUint32(0) + view.getUint32(view.getUint32(0));
    const body = concat(
      recorded.subarray(0, firstTwo),
      frame(
        { ':message-type': 'exception', ':exception-type': exception, ':content-type': 'application/json' },
        '{"message":"Something went wrong upstream"}',
      ),
    );
    const seen: CanonicalEvent[] = [];
    let error: unknown;
    try {
      for await (const event of decodeBytes(byteChunks(body, 9))) seen.push(event);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayError);
    const gatewayError = error as GatewayError;
    expect(gatewayError.failureClass).toBe(failureClass);
    expect(gatewayError.retryable).toBe(retryable);
    expect(gatewayError.code).toBe(exception);
    expect(gatewayError.message).toBe('aws: Something went wrong upstream');
    // The text before the exception was delivered.
    expect(seen).toEqual([{ type: 'response-start' }, { type: 'text-delta', text: 'The' }]);
  });

  it('a corrupted byte in the recorded body becomes a classified error, not a crash', async () => {
    const body = Uint8Array.from(rawBody('pydantic-ai-bedrock_model_thinking_part_stream.yaml'));
    body[Math.floor(body.length / 2)]! ^= 0xff;
    const error = await failure(decodeBytes(byteChunks(body, 64)));
    expect(error.failureClass).toBe('transient');
    expect(error.code).toBe('eventstream_corrupt');
    expect(error.provider).toBe('aws');
  });

  it('a generic error frame is classified by its error code', async () => {
    const body = frame(
      { ':message-type': 'error', ':error-code': 'ThrottlingException', ':error-message': 'Rate exceeded' },
      '',
    );
    const error = await failure(decodeBytes(byteChunks(body, 4)));
    expect(error.failureClass).toBe('rate_limit');
    expect(error.message).toBe('aws: Rate exceeded');
  });
});
