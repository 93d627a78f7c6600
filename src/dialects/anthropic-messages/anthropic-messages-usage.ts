/**
 * Canonical usage -> Anthropic's `usage`. Anthropic counts cache reads and writes beside `input_tokens`,
 * not inside it, so they are taken back out of the canonical total.
 */
import type { Usage } from '../../core/usage.js';

export interface AnthropicUsageBody {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

export function toAnthropicUsage(usage: Usage | undefined): AnthropicUsageBody {
  const cacheRead = usage?.cachedInputTokens ?? 0;
  const cacheWrite = usage?.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.inputTokens ?? 0) - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    output_tokens: usage?.outputTokens ?? 0,
  };
}
