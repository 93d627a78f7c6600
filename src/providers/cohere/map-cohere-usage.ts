/**
 * Cohere `usage` -> canonical Usage. `tokens` counts what the model really processed; `billed_units`
 * is what Cohere charges (it excludes the tokens of its own prompt template), so it is only the fallback.
 * `cached_tokens` is a subset of the input tokens.
 */
import { z } from 'zod';
import type { Usage } from '../../core/usage.js';

const count = z.number().nullish().catch(undefined);
const pairSchema = z.looseObject({ input_tokens: count, output_tokens: count }).nullish().catch(undefined);

const cohereUsageSchema = z.looseObject({
  tokens: pairSchema,
  billed_units: pairSchema,
  cached_tokens: count,
});

export function mapCohereUsage(value: unknown): Usage | undefined {
  const parsed = cohereUsageSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { tokens, billed_units: billed, cached_tokens: cached } = parsed.data;
  const pair = tokens?.input_tokens != null || tokens?.output_tokens != null ? tokens : billed;
  if (pair?.input_tokens == null && pair?.output_tokens == null) return undefined;
  const usage: Usage = { inputTokens: pair?.input_tokens ?? 0, outputTokens: pair?.output_tokens ?? 0 };
  if (cached != null) usage.cachedInputTokens = cached;
  return usage;
}
