/**
 * Anthropic usage → canonical Usage. Anthropic reports cache reads and writes beside `input_tokens`
 * rather than inside it, so the canonical `inputTokens` (every prompt token) is their sum.
 * A stream reports usage twice (message_start, then message_delta with the final counts, where fields
 * may be missing or null); the tracker keeps the latest value of each field so a partial report never
 * zeroes what an earlier one said.
 */
import { z } from 'zod';
import type { Usage } from '../../core/usage.js';

const count = z.number().nullish();

export const anthropicUsageSchema = z.looseObject({
  input_tokens: count,
  output_tokens: count,
  cache_read_input_tokens: count,
  cache_creation_input_tokens: count,
  output_tokens_details: z.looseObject({ thinking_tokens: count }).nullish(),
});

export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

export class AnthropicUsageTracker {
  private input = 0;
  private output = 0;
  private cacheRead = 0;
  private cacheWrite = 0;
  private thinking: number | undefined;

  /** Folds one usage report in and returns the usage as it now stands. */
  update(raw: AnthropicUsage): Usage {
    this.input = raw.input_tokens ?? this.input;
    this.output = raw.output_tokens ?? this.output;
    this.cacheRead = raw.cache_read_input_tokens ?? this.cacheRead;
    this.cacheWrite = raw.cache_creation_input_tokens ?? this.cacheWrite;
    this.thinking = raw.output_tokens_details?.thinking_tokens ?? this.thinking;
    return this.current();
  }

  current(): Usage {
    const usage: Usage = {
      inputTokens: this.input + this.cacheRead + this.cacheWrite,
      outputTokens: this.output,
      cachedInputTokens: this.cacheRead,
      cacheWriteTokens: this.cacheWrite,
    };
    if (this.thinking !== undefined) usage.reasoningTokens = this.thinking;
    return usage;
  }
}

/** One whole usage object (a non-stream message) mapped on its own. */
export function mapAnthropicUsage(raw: AnthropicUsage): Usage {
  return new AnthropicUsageTracker().update(raw);
}
