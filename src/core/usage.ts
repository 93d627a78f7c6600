/**
 * Token usage in one normalized shape. `inputTokens` counts every prompt token, cached ones included
 * (OpenAI semantics); providers that report cache reads separately (Anthropic) are summed when mapped.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens served from the provider's cache (a subset of inputTokens). */
  cachedInputTokens?: number;
  /** Prompt tokens written to the provider's cache (a subset of inputTokens). */
  cacheWriteTokens?: number;
  /** Output tokens spent on reasoning (a subset of outputTokens). */
  reasoningTokens?: number;
}

export function totalTokens(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens;
}

/** The usage of two upstream calls together (a broken stream and its continuation), field by field. */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
  for (const key of ['cachedInputTokens', 'cacheWriteTokens', 'reasoningTokens'] as const) {
    if (a[key] !== undefined || b[key] !== undefined) sum[key] = (a[key] ?? 0) + (b[key] ?? 0);
  }
  return sum;
}

/** Later usage reports from one stream supersede earlier ones field by field (Anthropic sends two). */
export function mergeUsage(previous: Usage | undefined, next: Partial<Usage>): Usage {
  const merged: Usage = { inputTokens: 0, outputTokens: 0, ...previous };
  for (const [key, value] of Object.entries(next) as Array<[keyof Usage, number | undefined]>) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}
