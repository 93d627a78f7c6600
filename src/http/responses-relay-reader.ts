/**
 * Reads relayed Responses bytes (the OpenAI fast path) without holding them up: SSE is parsed event by
 * event, a JSON body once it is complete. What it yields is what the store needs (the final Response and
 * the events for replays) and what a WebSocket sends (each event as one message). Bad JSON in an event is
 * skipped, never fatal: the bytes themselves were relayed untouched.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { createParser } from 'eventsource-parser';
import { Utf8Decoder } from '../core/utf8-decoder.js';

export type WireEvent = Record<string, unknown> & { type: string };

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export class RelayedResponsesReader {
  /** Every event parsed so far, in order (SSE only). */
  readonly events: WireEvent[] = [];
  /** The final Response: from the terminal event of a stream, or the JSON body. */
  response: Record<string, unknown> | undefined;
  private readonly decoder = new Utf8Decoder();
  private readonly parser;
  private readonly json: string[] = [];
  private fresh: WireEvent[] = [];

  constructor(private readonly isStream: boolean) {
    this.parser = createParser({ onEvent: (message) => this.onEvent(message) });
  }

  /** Feeds one chunk; returns the events it completed. */
  push(chunk: Uint8Array): WireEvent[] {
    const text = this.decoder.write(chunk);
    if (!this.isStream) {
      this.json.push(text);
      return [];
    }
    this.parser.feed(text);
    const done = this.fresh;
    this.fresh = [];
    return done;
  }

  /** Ends the body; returns the events only the end completed. */
  end(): WireEvent[] {
    const rest = this.decoder.end();
    if (!this.isStream) {
      const body = parseObject(this.json.join('') + rest);
      if (body) this.response = body;
      return [];
    }
    this.parser.feed(`${rest}\n\n`);
    const done = this.fresh;
    this.fresh = [];
    return done;
  }

  /** Whether the stream has delivered its terminal event. */
  get finished(): boolean {
    return this.response !== undefined;
  }

  private onEvent(message: EventSourceMessage): void {
    const data = message.data.trim();
    if (data === '' || data === '[DONE]') return;
    const parsed = parseObject(data);
    if (!parsed) return;
    const type = typeof parsed.type === 'string' ? parsed.type : (message.event ?? 'message');
    const event = { ...parsed, type } as WireEvent;
    this.events.push(event);
    this.fresh.push(event);
    const response = event.response;
    if (TERMINAL.has(type) && typeof response === 'object' && response !== null)
      this.response = response as Record<string, unknown>;
  }
}

/** Whether an event ends the response (response.completed / incomplete / failed). */
export function isTerminalEvent(event: { type: string }): boolean {
  return TERMINAL.has(event.type);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
