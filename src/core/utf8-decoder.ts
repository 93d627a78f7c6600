/**
 * Decodes a UTF-8 byte stream chunk by chunk, a character split across chunks included. Node's
 * StringDecoder rather than TextDecoder: with `stream: true`, TextDecoder took 2.9 µs for a 3 KB chunk of
 * SSE against 0.6 µs here (Node 20), once per upstream read of every stream. Like TextDecoder, a
 * leading byte order mark is dropped.
 */
import { StringDecoder } from 'node:string_decoder';

export class Utf8Decoder {
  private readonly decoder = new StringDecoder('utf8');
  private first = true;

  /** The text of `bytes`, holding back an incomplete last character for the next call. */
  write(bytes: Uint8Array): string {
    const text = this.decoder.write(bytes);
    if (!this.first || text === '') return text;
    this.first = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  /** The rest, at the end of the stream (an incomplete character becomes U+FFFD). */
  end(): string {
    const text = this.decoder.end();
    return this.first && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}
