/**
 * Bedrock usage → canonical Usage. Like Anthropic, Bedrock reports cache reads and writes beside
 * `inputTokens` rather than inside it (`totalTokens` = input + cacheRead + cacheWrite + output), so the
 * canonical `inputTokens` (every prompt token) is their sum. Cache fields appear only for models that cache.
 */
import { z } from 'zod';
import type { Usage } from '../../core/usage.js';

const count = z.number().nullish();

export const bedrockUsageSchema = z.looseObject({
  inputTokens: count,
  outputTokens: count,
  cacheReadInputTokens: count,
  cacheWriteInputTokens: count,
});

export type BedrockUsage = z.infer<typeof bedrockUsageSchema>;

export function mapBedrockUsage(raw: BedrockUsage): Usage {
  const cacheRead = raw.cacheReadInputTokens ?? undefined;
  const cacheWrite = raw.cacheWriteInputTokens ?? undefined;
  const usage: Usage = {
    inputTokens: (raw.inputTokens ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: raw.outputTokens ?? 0,
  };
  if (cacheRead !== undefined) usage.cachedInputTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  return usage;
}
