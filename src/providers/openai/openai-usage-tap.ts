/**
 * Usage on the OpenAI chat fast path: `usage` at the top of the final chunk (Groq: `x_groq.usage`). Given
 * the provider, the tap also finds in-band error events (`data: {"error": {...}}` inside a 200 stream, as
 * vLLM, SGLang, OpenAI and Groq send them, or an `error` object beside the chunk fields, as OpenRouter does)
 * and tells the stream's opening (the role chunk, usage-only chunks) from its content.
 */

import type { GatewayError } from '../../core/errors.js';
import type { ParsedUpstreamError } from '../shared/upstream-error.js';
import { upstreamErrorFromText } from '../shared/upstream-error.js';
import type { UsageFormat, UsageTap } from '../shared/usage-tap.js';
import { createUsageTap } from '../shared/usage-tap.js';
import { mapOpenAIUsage } from './map-openai-usage.js';
import { inBandErrorStatus } from './openai-error.js';

export type OpenAIChatUsageTap = UsageTap;

/** Whose stream it is, for classifying its in-band errors. */
export interface InBandErrors {
  provider: string;
  /** The provider's error body parser (the OpenAI envelope, or Azure's). */
  parseError: (body: unknown) => ParsedUpstreamError;
}

const USAGE: Pick<UsageFormat, 'fromChunk' | 'map'> = {
  fromChunk: (chunk) => chunk.usage ?? (chunk.x_groq as { usage?: unknown } | null | undefined)?.usage,
  map: mapOpenAIUsage,
};

export function createOpenAIChatUsageTap(isStream: boolean, errors?: InBandErrors): UsageTap {
  if (!errors) return createUsageTap(isStream, USAGE);
  // Written out, not `{ ...USAGE, ... }`: on Node 20 an object spread followed by keys the source lacks
  // takes V8's slow clone path, about 1 µs on every relayed request (bench/profile-findings.md, item 22).
  return createUsageTap(isStream, {
    fromChunk: USAGE.fromChunk,
    map: USAGE.map,
    inBandError: (chunk, data) => inBandError(errors, chunk, data),
    isContent,
  });
}

/**
 * An error object sent as a data line of a 200 stream, classified as the translated path's decoder does:
 * the envelope may hold a status (vLLM and OpenRouter `code: 500`, Groq `status_code`); without one the
 * body decides, and failing that it is a transient upstream failure (502 stands in for "no status").
 */
function inBandError(
  errors: InBandErrors,
  chunk: Record<string, unknown>,
  data: string,
): GatewayError | undefined {
  if (typeof chunk.error !== 'object' || chunk.error === null) return undefined;
  return upstreamErrorFromText(errors.provider, inBandErrorStatus(chunk) ?? 502, {}, data, errors.parseError);
}

/**
 * Whether a chunk carries content. The opening carries none: a delta with only `role` and empty or null
 * fields (`content: ""`, `refusal: null`, OpenRouter's `reasoning_details: []`) and no finish reason, or no
 * choices at all (a usage-only chunk, Azure's prompt filter results). A chunk of another shape counts as
 * content, so nothing unknown is held back.
 */
function isContent(chunk: Record<string, unknown>): boolean {
  const { choices } = chunk;
  if (!Array.isArray(choices)) return true;
  for (const choice of choices as unknown[]) {
    if (typeof choice !== 'object' || choice === null) return true;
    const { delta, finish_reason: finishReason } = choice as { delta?: unknown; finish_reason?: unknown };
    if (finishReason != null) return true;
    if (typeof delta !== 'object' || delta === null) continue;
    for (const [key, value] of Object.entries(delta)) {
      if (key === 'role' || value == null || value === '') continue;
      if (Array.isArray(value) && value.length === 0) continue;
      return true;
    }
  }
  return false;
}
