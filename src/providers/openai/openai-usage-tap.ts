/**
 * Usage on the OpenAI chat fast path: `usage` at the top of the final chunk (Groq: `x_groq.usage`).
 */

import type { UsageTap } from '../shared/usage-tap.js';
import { createUsageTap } from '../shared/usage-tap.js';
import { mapOpenAIUsage } from './map-openai-usage.js';

export type OpenAIChatUsageTap = UsageTap;

export function createOpenAIChatUsageTap(isStream: boolean): UsageTap {
  return createUsageTap(isStream, {
    fromChunk: (chunk) => chunk.usage ?? (chunk.x_groq as { usage?: unknown } | null | undefined)?.usage,
    map: mapOpenAIUsage,
  });
}
