/**
 * Usage on the Anthropic fast path: `message.usage` in message_start, `usage` in message_delta (folded
 * field by field), or the top-level `usage` of a non-stream message.
 *
 * Given the provider, the tap also finds the stream's in-band `error` event (`event: error`,
 * `data: {"type": "error", "error": {"type": "overloaded_error", ...}}`, which Anthropic sends inside a
 * 200 stream when it is overloaded mid-answer) and tells the stream's opening (`message_start`, `ping`,
 * the start of an empty text or thinking block) from its content, so the relay can fail over before
 * content and fail the request after it. A non-stream body that is such an error object
 * (`{"type": "error", "error": {...}}` with a 200) is found too, once whole, and fails over like the HTTP
 * error it stands for.
 */

import type { GatewayError } from '../../core/errors.js';
import type { Usage } from '../../core/usage.js';
import { upstreamErrorFromText } from '../shared/upstream-error.js';
import type { UsageTap } from '../shared/usage-tap.js';
import { createUsageTap } from '../shared/usage-tap.js';
import { anthropicErrorStatus, parseAnthropicError } from './anthropic-error.js';
import { AnthropicUsageTracker, anthropicUsageSchema } from './anthropic-usage.js';

/** Events that open a stream without content. */
const OPENING = new Set(['message_start', 'ping']);

/**
 * Blocks whose start usually carries nothing yet (their text comes in deltas); a tool call's start names
 * the tool and a redacted thinking block's carries its data.
 */
const EMPTY_STARTS = new Set(['text', 'thinking']);

function isContent(chunk: Record<string, unknown>): boolean {
  if (typeof chunk.type !== 'string') return true;
  if (OPENING.has(chunk.type)) return false;
  if (chunk.type !== 'content_block_start') return true;
  const block = chunk.content_block as { type?: unknown; text?: unknown; thinking?: unknown } | undefined;
  if (!block || typeof block.type !== 'string' || !EMPTY_STARTS.has(block.type)) return true;
  return (block.text ?? block.thinking ?? '') !== '';
}

function fromChunk(chunk: Record<string, unknown>): unknown {
  return chunk.usage ?? (chunk.message as { usage?: unknown } | undefined)?.usage;
}

export function createAnthropicUsageTap(isStream: boolean, provider?: string): UsageTap {
  const tracker = new AnthropicUsageTracker();
  const map = (raw: unknown): Usage | undefined => {
    const parsed = anthropicUsageSchema.safeParse(raw);
    return parsed.success ? tracker.update(parsed.data) : undefined;
  };
  if (provider === undefined) return createUsageTap(isStream, { fromChunk, map });
  // Written out, not spread: see openai-usage-tap.ts.
  return createUsageTap(isStream, {
    fromChunk,
    map,
    inBandError: (chunk, data) => inBandError(provider, chunk, data),
    isContent,
  });
}

function inBandError(
  provider: string,
  chunk: Record<string, unknown>,
  data: string,
): GatewayError | undefined {
  // Anthropic's own events say `type: error`; a proxy's bare `{"error": {...}}` is an error as well.
  if (chunk.type !== 'error' && chunk.type !== undefined) return undefined;
  if (typeof chunk.error !== 'object' || chunk.error === null) return undefined;
  const type = (chunk.error as { type?: unknown }).type;
  const status = (typeof type === 'string' ? anthropicErrorStatus(type) : undefined) ?? 502;
  return upstreamErrorFromText(provider, status, {}, data, parseAnthropicError);
}
