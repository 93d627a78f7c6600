/**
 * The binary `application/vnd.amazon.eventstream` framing of a ConverseStream body → whole messages.
 * Each frame is `total length | headers length | prelude CRC32 | headers | payload | message CRC32`; frames
 * arrive split across network chunks at arbitrary points, so bytes are buffered until a frame is whole.
 * @smithy/eventstream-codec verifies both checksums and parses the typed headers; a corrupt frame becomes
 * a classified GatewayError, never a crash or a silently wrong answer.
 */
import { crc32 } from 'node:zlib';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { GatewayError } from '../../core/errors.js';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import { cutMessages } from '../shared/cut-messages.js';

export interface EventStreamMessage {
  /** String-valued headers (`:message-type`, `:event-type`, `:exception-type`, ...). */
  headers: Record<string, string>;
  payload: Uint8Array;
}

const PRELUDE_BYTES = 12;
/** Prelude plus the trailing message CRC: the smallest possible frame. */
const MIN_FRAME_BYTES = 16;
/** The format allows 16 MiB of payload and 128 KiB of headers; anything longer is a corrupt length. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024 + 128 * 1024 + MIN_FRAME_BYTES;

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

export interface EventStreamOptions {
  /** The configured provider name, attached to errors. */
  provider?: string;
}

export function decodeEventStream(
  body: AsyncIterable<Uint8Array | string>,
  options: EventStreamOptions = {},
): ReadyIterator<EventStreamMessage> {
  // The codec wants smithy's util-utf8 pair; TextDecoder/TextEncoder are the same functions.
  const codec = new EventStreamCodec(
    (bytes) => utf8Decoder.decode(bytes),
    (text) => utf8Encoder.encode(text),
  );
  const buffer = new FrameBuffer(options);
  return cutMessages(body, {
    feed(chunk, messages) {
      buffer.push(typeof chunk === 'string' ? utf8Encoder.encode(chunk) : chunk);
      for (let frame = buffer.nextFrame(); frame !== undefined; frame = buffer.nextFrame()) {
        messages.push(decodeFrame(codec, frame, options));
      }
    },
    end() {
      if (buffer.length > 0) throw corruptStream(options, 'the stream ended inside a frame');
    },
  });
}

function decodeFrame(
  codec: EventStreamCodec,
  frame: Uint8Array,
  options: EventStreamOptions,
): EventStreamMessage {
  let message: ReturnType<EventStreamCodec['decode']>;
  try {
    message = codec.decode(frame);
  } catch (error) {
    // Checksum mismatches and malformed headers: the codec's own message says which.
    const detail = error instanceof Error ? error.message : String(error);
    throw corruptStream(options, detail, error);
  }
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(message.headers)) {
    if (header.type === 'string') headers[name] = header.value;
  }
  return { headers, payload: message.body };
}

/** Network chunks in arrival order, joined only when a frame spans several of them. */
class FrameBuffer {
  private chunks: Uint8Array[] = [];
  length = 0;

  constructor(private readonly options: EventStreamOptions) {}

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The next whole frame, or undefined until more bytes arrive. */
  nextFrame(): Uint8Array | undefined {
    if (this.length < PRELUDE_BYTES) return undefined;
    const prelude = this.head(PRELUDE_BYTES);
    const view = new DataView(prelude.buffer, prelude.byteOffset, PRELUDE_BYTES);
    const total = view.getUint32(0);
    const headersLength = view.getUint32(4);
    // Checked before trusting the length, so a flipped length byte cannot make us wait for gigabytes.
    if (crc32(prelude.subarray(0, 8)) !== view.getUint32(8)) {
      throw corruptStream(this.options, 'prelude checksum mismatch');
    }
    if (total < MIN_FRAME_BYTES || total > MAX_FRAME_BYTES || headersLength > total - MIN_FRAME_BYTES) {
      throw corruptStream(this.options, `impossible frame length ${total}`);
    }
    if (this.length < total) return undefined;
    return this.take(total);
  }

  private head(size: number): Uint8Array {
    if (this.chunks[0]!.length < size) this.flatten();
    return this.chunks[0]!.subarray(0, size);
  }

  private take(size: number): Uint8Array {
    if (this.chunks[0]!.length < size) this.flatten();
    const first = this.chunks[0]!;
    const frame = first.subarray(0, size);
    if (first.length === size) this.chunks.shift();
    else this.chunks[0] = first.subarray(size);
    this.length -= size;
    return frame;
  }

  private flatten(): void {
    this.chunks = [Buffer.concat(this.chunks, this.length)];
  }
}

function corruptStream(options: EventStreamOptions, detail: string, cause?: unknown): GatewayError {
  const prefix = options.provider ? `${options.provider}: ` : '';
  return new GatewayError('transient', `${prefix}corrupt event stream: ${detail}`, {
    code: 'eventstream_corrupt',
    ...(options.provider !== undefined ? { provider: options.provider } : {}),
    ...(cause !== undefined ? { cause } : {}),
  });
}
