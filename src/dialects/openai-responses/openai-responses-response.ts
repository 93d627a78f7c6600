/**
 * Collected canonical response -> a Responses `Response` object. The parts are replayed through the same
 * event builder the stream encoder uses, so a non-streamed answer is exactly the final Response a stream
 * of the same answer would end with.
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { CanonicalResponse } from '../../core/collect-response.js';
import type { EncodeContext } from '../dialect.js';
import type { ResponseStreamEvent, ResponsesEventBuilderOptions } from './openai-responses-event-builder.js';
import { ResponsesEventBuilder } from './openai-responses-event-builder.js';
import type { ResponseObject } from './openai-responses-response-object.js';
import type { ResponsesRequest } from './openai-responses-schema.js';

/**
 * What the Responses surface can use beyond the plain EncodeContext. The HTTP route passes it (it is a
 * structural extension, so `dialect.encodeResponse(response, context)` accepts it too).
 */
export interface ResponsesEncodeContext extends EncodeContext {
  /** The validated create request, echoed into the Response object. */
  request?: ResponsesRequest;
  /** A pre-assigned response id; a fresh `resp_…` otherwise. */
  responseId?: string;
  /** Unix seconds. */
  createdAt?: number;
}

export function builderOptions(context: ResponsesEncodeContext): ResponsesEventBuilderOptions {
  return {
    model: context.model,
    ...(context.request ? { request: context.request } : {}),
    ...(context.responseId ? { responseId: context.responseId } : {}),
    ...(context.createdAt !== undefined ? { createdAt: context.createdAt } : {}),
    // Background responses start out queued (response.created), as OpenAI's do.
    ...(context.request?.background ? { initialStatus: 'queued' as const } : {}),
  };
}

export function encodeResponsesResponse(
  response: CanonicalResponse,
  context: ResponsesEncodeContext,
): ResponseObject {
  return replayCanonicalResponse(response, new ResponsesEventBuilder(builderOptions(context))).response;
}

/** Feeds a collected response through `builder`; returns the events it emitted and the final Response. */
export function replayCanonicalResponse(
  response: CanonicalResponse,
  builder: ResponsesEventBuilder,
): { events: ResponseStreamEvent[]; response: ResponseObject } {
  const events: ResponseStreamEvent[] = [];
  const push = (event: CanonicalEvent): void => {
    events.push(...builder.push(event));
  };
  push({
    type: 'response-start',
    ...(response.id !== undefined ? { id: response.id } : {}),
    ...(response.created !== undefined ? { created: response.created } : {}),
  });
  let toolIndex = 0;
  // Citations are replayed after the text part whose span holds their start (offsets count across the
  // whole text); one without a span goes with the first text part.
  const citations = [...(response.citations ?? [])];
  let textOffset = 0;
  let firstText = true;
  for (const [position, part] of response.content.entries()) {
    // Consecutive parts of one kind are separate items in a collected response. The last item is closed by
    // finish(), which knows whether the answer was cut short (status incomplete).
    if (position > 0) events.push(...builder.endItem());
    switch (part.type) {
      case 'text': {
        push({
          type: 'text-delta',
          text: part.text,
          ...(part.providerData ? { providerData: part.providerData } : {}),
        });
        const end = textOffset + part.text.length;
        const isLast = !response.content.slice(position + 1).some((p) => p.type === 'text');
        const mine = (c: { startIndex?: number }): boolean =>
          c.startIndex === undefined ? firstText : c.startIndex < end || isLast;
        for (const citation of citations.filter(mine)) push({ type: 'citation', citation });
        citations.splice(0, citations.length, ...citations.filter((c) => !mine(c)));
        textOffset = end;
        firstText = false;
        break;
      }
      case 'reasoning':
        if (part.redactedData !== undefined) {
          push({ type: 'reasoning-redacted', data: part.redactedData });
          break;
        }
        if (part.text !== '') push({ type: 'reasoning-delta', text: part.text });
        if (part.providerData || part.encryptedContent !== undefined) {
          const providerData = { ...part.providerData };
          if (part.encryptedContent !== undefined)
            providerData.openai = { ...providerData.openai, encryptedContent: part.encryptedContent };
          push({ type: 'reasoning-provider-data', providerData });
        }
        if (part.signature !== undefined) push({ type: 'reasoning-signature', signature: part.signature });
        break;
      case 'tool-call': {
        const index = toolIndex++;
        push({
          type: 'tool-call-start',
          index,
          id: part.id,
          name: part.name,
          ...(part.providerData ? { providerData: part.providerData } : {}),
        });
        push({ type: 'tool-call-delta', index, argumentsDelta: part.arguments });
        push({ type: 'tool-call-end', index });
        break;
      }
    }
  }
  if (response.usage) push({ type: 'usage', usage: response.usage });
  push({
    type: 'finish',
    reason: response.finishReason,
    ...(response.rawFinishReason ? { raw: response.rawFinishReason } : {}),
  });
  events.push(...builder.finish());
  return { events, response: builder.response() };
}
