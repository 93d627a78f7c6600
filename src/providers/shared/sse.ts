/**
 * Server-sent events parsing for provider decoders. SSE text exists only here and in dialect encoders.
 */

import type { EventSourceMessage } from 'eventsource-parser';
import { createParser } from 'eventsource-parser';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import { Utf8Decoder } from '../../core/utf8-decoder.js';
import { cutMessages } from './cut-messages.js';

export interface SseMessage {
  event?: string;
  data: string;
}

/** Turns a byte stream into SSE messages, each handed out as soon as its blank line arrives. */
export function parseSse(body: AsyncIterable<Uint8Array | string>): ReadyIterator<SseMessage> {
  let out: SseMessage[] = [];
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      out.push(
        message.event === undefined ? { data: message.data } : { event: message.event, data: message.data },
      );
    },
  });
  const decoder = new Utf8Decoder();
  return cutMessages(body, {
    feed(chunk, messages) {
      out = messages;
      parser.feed(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    },
    end(messages) {
      out = messages;
      parser.feed(decoder.end());
      // A final event without its trailing blank line is still an event.
      parser.feed('\n\n');
    },
  });
}

/** Parses one SSE data payload, turning bad JSON into undefined so the caller can classify it. */
export function parseJsonData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}
