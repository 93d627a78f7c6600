/**
 * Usage on the Responses fast path: in a stream it sits in the final `response.completed` (or
 * `response.incomplete` / `response.failed`) event as `response.usage`; a JSON body has it at the top.
 */
import type { UsageTap } from '../shared/usage-tap.js';
import { createUsageTap } from '../shared/usage-tap.js';
import { mapOpenAIResponsesUsage } from './openai-responses-stream-decoder.js';

export function createOpenAIResponsesUsageTap(isStream: boolean): UsageTap {
  return createUsageTap(isStream, {
    fromChunk: (chunk) => (chunk.response as { usage?: unknown } | null | undefined)?.usage,
    map: mapOpenAIResponsesUsage,
  });
}
