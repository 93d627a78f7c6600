import { EventStreamCodec } from '@smithy/eventstream-codec';
import { describe, expect, it } from 'vitest';
import { byteChunks, cassetteBytes } from '../../../test/support/fixtures.js';
import { GatewayError } from '../../core/errors.js';
import type { EventStreamMessage } from './bedrock-event-stream.js';
import { decodeEventStream } from './bedrock-event-stream.js';

/** The raw ConverseStream body of a cassette: binary event-stream frames. */
const rawBody = (file: string, interaction = 0): Uint8Array =>
  cassetteBytes(`bedrock-converse/${file}`, interaction);

async function collect(body: AsyncIterable<Uint8Array>): Promise<EventStreamMessage[]> {
  const messages: EventStreamMessage[] = [];
  for await (const message of decodeEventStream(body, { provider: 'aws' })) messages.push(message);
  return messages;
}

async function failure(
  body: AsyncIterable<Uint8Array>,
  seen: EventStreamMessage[] = [],
): Promise<GatewayError> {
  try {
    for await (const message of decodeEventStream(body, { provider: 'aws' })) seen.push(message);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the stream to fail');
}

/** Byte offsets of each frame, read from the frames' own length prefixes. */
function frameOffsets(bytes: Uint8Array): number[] {
  const offsets: number[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset < bytes.length; offset += view.getUint32(offset)) offsets.push(offset);
  return offsets;
}

const STREAM = rawBody('pydantic-ai-bedrock_model_stream.yaml');
const text = (message: EventStreamMessage) => new TextDecoder().decode(message.payload);

describe('decodeEventStream on the recorded ConverseStream body', () => {
  it.each([1, 3, 7, 12, 13, 64, 1000, STREAM.length])(
    'decodes every frame when chunked by %i bytes',
    async (size) => {
      const messages = await collect(byteChunks(STREAM, size));
      expect(messages).toHaveLength(frameOffsets(STREAM).length);
      expect(messages.map((m) => m.headers[':event-type'])).toEqual([
        'messageStart',
        ...Array<string>(29).fill('contentBlockDelta'),
        'contentBlockStop',
        'messageStop',
        'metadata',
      ]);
      for (const message of messages) {
        expect(message.headers[':message-type']).toBe('event');
        expect(message.headers[':content-type']).toBe('application/json');
      }
      expect(JSON.parse(text(messages[0]!))).toEqual({ p: 'abcdefghijklmnopqr', role: 'assistant' });
      expect(JSON.parse(text(messages.at(-2)!))).toMatchObject({ stopReason: 'end_turn' });
      expect(JSON.parse(text(messages.at(-1)!)).usage).toEqual({
        inputTokens: 13,
        outputTokens: 82,
        serverToolUsage: {},
        totalTokens: 95,
      });
    },
  );

  it('decodes frames split at uneven boundaries', async () => {
    async function* uneven(): AsyncGenerator<Uint8Array> {
      const sizes = [5, 120, 33, 1, 700, 2];
      for (let i = 0, offset = 0; offset < STREAM.length; i++) {
        const size = sizes[i % sizes.length]!;
        yield STREAM.subarray(offset, offset + size);
        offset += size;
      }
    }
    expect(await collect(uneven())).toHaveLength(33);
  });
});

describe('decodeEventStream on corrupt input', () => {
  const offsets = frameOffsets(STREAM);

  it('turns a flipped payload byte into a classified checksum error, after the frames before it', async () => {
    const corrupt = Uint8Array.from(STREAM);
    corrupt[offsets[3]! - 10]! ^= 0x01; // inside the third frame's JSON payload
    const seen: EventStreamMessage[] = [];
    const error = await failure(byteChunks(corrupt, 17), seen);
    expect(error.failureClass).toBe('transient');
    expect(error.code).toBe('eventstream_corrupt');
    expect(error.provider).toBe('aws');
    expect(error.message).toMatch(/^aws: corrupt event stream: .*checksum/);
    expect(seen).toHaveLength(2);
  });

  it('turns a flipped message checksum into a classified error', async () => {
    const corrupt = Uint8Array.from(STREAM);
    corrupt[offsets[1]! - 1]! ^= 0x80; // the last byte of the first frame is its message CRC
    const error = await failure(byteChunks(corrupt, 64));
    expect(error.message).toMatch(/checksum/);
    expect(error.failureClass).toBe('transient');
  });

  it('rejects a flipped length byte from the prelude checksum, without waiting for the bogus length', async () => {
    const corrupt = Uint8Array.from(STREAM);
    corrupt[offsets[4]!]! ^= 0x40; // the high byte of the fifth frame's total length
    const seen: EventStreamMessage[] = [];
    const error = await failure(byteChunks(corrupt, 64), seen);
    expect(error.message).toBe('aws: corrupt event stream: prelude checksum mismatch');
    expect(seen).toHaveLength(4);
  });

  it('reports a body that ends inside a frame', async () => {
    const seen: EventStreamMessage[] = [];
    const error = await failure(byteChunks(STREAM.subarray(0, offsets[5]! + 20), 64), seen);
    expect(error.message).toBe('aws: corrupt event stream: the stream ended inside a frame');
    expect(seen).toHaveLength(5);
  });

  it('decodes frames the codec itself encodes, including non-string headers', async () => {
    const codec = new EventStreamCodec(
      (bytes) => new TextDecoder().decode(bytes),
      (value) => new TextEncoder().encode(value),
    );
    const frame = codec.encode({
      headers: {
        ':message-type': { type: 'string', value: 'exception' },
        ':exception-type': { type: 'string', value: 'throttlingException' },
        attempt: { type: 'integer', value: 2 },
      },
      body: new TextEncoder().encode('{"message":"slow down"}'),
    });
    const [message] = await collect(byteChunks(frame, 5));
    expect(message!.headers).toEqual({
      ':message-type': 'exception',
      ':exception-type': 'throttlingException',
    });
    expect(text(message!)).toBe('{"message":"slow down"}');
  });
});
