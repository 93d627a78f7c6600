/**
 * Chat Completions `usage` object -> canonical Usage. Shared by the stream decoder and the relay usage tap.
 */
import { z } from 'zod';
import type { Usage } from '../../core/usage.js';

const count = z.number().nullish();

const openAIUsageSchema = z.looseObject({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count,
  prompt_tokens_details: z.looseObject({ cached_tokens: count, cache_write_tokens: count }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: count }).nullish(),
  // DeepSeek reports cache hits here (it also fills prompt_tokens_details.cached_tokens on newer models).
  prompt_cache_hit_tokens: count,
});

/** Returns undefined when the value is not a usage object (null, or no token counts at all). */
export function mapOpenAIUsage(value: unknown): Usage | undefined {
  const parsed = openAIUsageSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const u = parsed.data;
  if (u.prompt_tokens == null && u.completion_tokens == null) return undefined;
  const reasoning = u.completion_tokens_details?.reasoning_tokens;
  const usage: Usage = {
    inputTokens: u.prompt_tokens ?? 0,
    outputTokens: (u.completion_tokens ?? 0) + (reasoningOutsideCompletion(u) ? (reasoning ?? 0) : 0),
  };
  const cached = u.prompt_tokens_details?.cached_tokens ?? u.prompt_cache_hit_tokens;
  if (cached != null) usage.cachedInputTokens = cached;
  const cacheWrite = u.prompt_tokens_details?.cache_write_tokens;
  if (cacheWrite != null) usage.cacheWriteTokens = cacheWrite;
  if (reasoning != null) usage.reasoningTokens = reasoning;
  return usage;
}

/**
 * OpenAI counts reasoning inside completion_tokens; xAI reports it beside them ("reasoning_tokens ...
 * separated from the completion_tokens", Vertex AI's Grok reasoning guide), so its total is
 * prompt + completion + reasoning. The total tells the two apart, so the canonical output count (which
 * includes reasoning) is right for both.
 */
function reasoningOutsideCompletion(u: z.infer<typeof openAIUsageSchema>): boolean {
  const reasoning = u.completion_tokens_details?.reasoning_tokens;
  if (reasoning == null || reasoning <= 0 || u.total_tokens == null) return false;
  const prompt = u.prompt_tokens ?? 0;
  const completion = u.completion_tokens ?? 0;
  return u.total_tokens === prompt + completion + reasoning && u.total_tokens !== prompt + completion;
}
