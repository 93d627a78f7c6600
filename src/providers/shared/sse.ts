/**
 * Server-sent events parsing for provider decoders. SSE text exists only here and in dialect encoders.
 */

import type { EventSourceMessage } from 'eventsource-parser';
import { createParser } from 'eventsource-parser';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import { nextReady } from '../../core/ready-iterator.js';
import { Utf8Decoder } from '../../core/utf8-decoder.js';

export interface SseMessage {
  event?: string;
  data: string;
}

/**
 * Turns a byte stream into SSE messages, yielding each as soon as its blank line arrives. A plain
 * iterator rather than an async generator: the messages of one network chunk are handed out from a
 * queue without a generator resumption each, which showed in profiles of token streams.
 */
export function parseSse(body: AsyncIterable<Uint8Array | string>): ReadyIterator<SseMessage> {
  let pending: SseMessage[] = [];
  let head = 0;
  let finished = false;
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      pending.push(
        message.event === undefined ? { data: message.data } : { event: message.event, data: message.data },
      );
    },
  });
  const decoder = new Utf8Decoder();
  const source = body[Symbol.asyncIterator]();
  const take = (): IteratorResult<SseMessage> | undefined => {
    if (head < pending.length) return { done: false, value: pending[head++]! };
    pending = [];
    head = 0;
    return finished ? { done: true, value: undefined } : undefined;
  };
  const pull = async (): Promise<IteratorResult<SseMessage>> => {
    for (;;) {
      const next = nextReady(source) ?? (await source.next());
      if (next.done) {
        parser.feed(decoder.end());
        // A final event without its trailing blank line is still an event.
        parser.feed('\n\n');
        finished = true;
      } else {
        const chunk = next.value;
        parser.feed(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      }
      const taken = take();
      if (taken) return taken;
    }
  };
  return {
    next: () => {
      const taken = take();
      return taken ? Promise.resolve(taken) : pull();
    },
    // The rest of the messages parsed from the last read.
    nextSync: take,
    return: async () => {
      finished = true;
      pending = [];
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Parses one SSE data payload, turning bad JSON into undefined so the caller can classify it. */
export function parseJsonData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}
