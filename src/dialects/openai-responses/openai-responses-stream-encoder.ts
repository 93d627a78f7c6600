/**
 * Canonical events -> Responses SSE: each event framed as `event: <type>\ndata: <json>\n\n`, with
 * monotonically increasing `sequence_number`s (see openai-responses-event-builder.ts for the sequence).
 * Beyond the StreamEncoder contract it exposes what the store needs: the emitted events (for
 * `?stream=true` replays) and the final Response.
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { GatewayError } from '../../core/errors.js';
import type { StreamEncoder } from '../dialect.js';
import type { ResponseStreamEvent, ResponsesEventBuilderOptions } from './openai-responses-event-builder.js';
import { ResponsesEventBuilder } from './openai-responses-event-builder.js';
import type { ResponseObject } from './openai-responses-response-object.js';

export interface ResponsesStreamEncoder extends StreamEncoder {
  /** Every event emitted so far, in order (store them for replays). */
  readonly events: readonly ResponseStreamEvent[];
  /** The Response id every event refers to. */
  readonly responseId: string;
  /** A copy of the Response as it stands; final once end() or error() ran. */
  response(): ResponseObject;
}

/** One event in SSE framing. */
export function sseFrame(event: ResponseStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Stored events back to SSE text, for `GET /v1/responses/{id}?stream=true` (optionally after a sequence number). */
export function replayStoredEvents(events: readonly ResponseStreamEvent[], startingAfter?: number): string {
  return events
    .filter((event) => startingAfter === undefined || event.sequence_number > startingAfter)
    .map(sseFrame)
    .join('');
}

export function createOpenAIResponsesStreamEncoder(
  options: ResponsesEventBuilderOptions,
): ResponsesStreamEncoder {
  const builder = new ResponsesEventBuilder(options);
  const frame = (events: ResponseStreamEvent[]): string => events.map(sseFrame).join('');
  return {
    get events() {
      return builder.events;
    },
    responseId: builder.responseId,
    response: () => builder.response(),
    event: (event: CanonicalEvent) => frame(builder.push(event)),
    end: () => frame(builder.finish()),
    error: (error: GatewayError) => frame(builder.fail(error)),
  };
}
