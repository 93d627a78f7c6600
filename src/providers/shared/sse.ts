/**
 * Server-sent events parsing for provider decoders. SSE text exists only here and in dialect encoders.
 */

import type { EventSourceMessage } from 'eventsource-parser';
import { createParser } from 'eventsource-parser';

export interface SseMessage {
  event?: string;
  data: string;
}

/** Turns a byte stream into SSE messages, yielding each as soon as its blank line arrives. */
export async function* parseSse(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseMessage> {
  const pending: SseMessage[] = [];
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      pending.push(
        message.event === undefined ? { data: message.data } : { event: message.event, data: message.data },
      );
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    while (pending.length > 0) yield pending.shift()!;
  }
  parser.feed(decoder.decode());
  // A final event without its trailing blank line is still an event.
  parser.feed('\n\n');
  while (pending.length > 0) yield pending.shift()!;
}

/** Parses one SSE data payload, turning bad JSON into undefined so the caller can classify it. */
export function parseJsonData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}
