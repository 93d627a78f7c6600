/**
 * Usage on the Responses fast path: in a stream it sits in the final `response.completed` (or
 * `response.incomplete` / `response.failed`) event as `response.usage`; a JSON body has it at the top.
 *
 * Given the provider, the tap also finds in-band failures (an `error` event, in OpenAI's nested shape or
 * the spec's flat one, and `response.failed`, both inside a 200 stream; a 200 JSON body that is an error
 * envelope, `{"error": {...}}`, as proxies send them) and tells the
 * stream's opening (`response.created`, `response.in_progress`, an empty message or reasoning item and
 * its empty first part) from its content, so the relay can fail over before content and fail the request
 * after it, as on the chat fast path.
 */
import type { GatewayError } from '../../core/errors.js';
import type { UsageFormat, UsageTap } from '../shared/usage-tap.js';
import { createUsageTap } from '../shared/usage-tap.js';
import { mapOpenAIResponsesUsage } from './openai-responses-stream-decoder.js';
import type { InBandErrors } from './openai-usage-tap.js';
import { errorEventEnvelope, failedResponseEnvelope, responsesFailure } from './responses-error-event.js';

const USAGE: Pick<UsageFormat, 'fromChunk' | 'map'> = {
  fromChunk: (chunk) => (chunk.response as { usage?: unknown } | null | undefined)?.usage,
  map: mapOpenAIResponsesUsage,
};

export function createOpenAIResponsesUsageTap(isStream: boolean, errors?: InBandErrors): UsageTap {
  if (!errors) return createUsageTap(isStream, USAGE);
  // Written out, not spread: see openai-usage-tap.ts.
  return createUsageTap(isStream, {
    fromChunk: USAGE.fromChunk,
    map: USAGE.map,
    inBandError: (chunk) => inBandError(errors, chunk),
    typedErrors: true,
    isContent,
  });
}

function inBandError(errors: InBandErrors, chunk: Record<string, unknown>): GatewayError | undefined {
  switch (chunk.type) {
    case 'error':
      return responsesFailure(errors.provider, errorEventEnvelope(chunk), errors.parseError);
    case 'response.failed':
      return responsesFailure(errors.provider, failedResponseEnvelope(chunk.response), errors.parseError);
    case undefined:
      // An OpenAI-compatible server's or proxy's bare envelope, as a 200 JSON body or a data line.
      return isErrorObject(chunk.error)
        ? responsesFailure(errors.provider, { error: chunk.error }, errors.parseError)
        : undefined;
    default:
      return undefined;
  }
}

const isErrorObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Events that open a stream without content. */
const OPENING = new Set(['response.created', 'response.in_progress', 'response.queued']);

/** Items whose `added` event carries nothing yet (their text comes in deltas); a function call names its tool. */
const EMPTY_ITEMS = new Set(['message', 'reasoning']);

const isEmpty = (value: unknown): boolean => value == null || (Array.isArray(value) && value.length === 0);

/** Whether an event carries content; an event of another shape does, so nothing unknown is held back. */
function isContent(chunk: Record<string, unknown>): boolean {
  const { type } = chunk;
  if (typeof type !== 'string') return true;
  if (OPENING.has(type)) return false;
  if (type === 'response.output_item.added') {
    const item = chunk.item as { type?: unknown; content?: unknown; summary?: unknown } | null | undefined;
    if (!item || typeof item.type !== 'string' || !EMPTY_ITEMS.has(item.type)) return true;
    return !isEmpty(item.content) || !isEmpty(item.summary);
  }
  if (type === 'response.content_part.added' || type === 'response.reasoning_summary_part.added') {
    const { part } = chunk;
    if (typeof part !== 'object' || part === null) return true;
    const { text, refusal } = part as { text?: unknown; refusal?: unknown };
    return (typeof text === 'string' && text !== '') || (typeof refusal === 'string' && refusal !== '');
  }
  return true;
}
