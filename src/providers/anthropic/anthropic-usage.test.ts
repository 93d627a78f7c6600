import { describe, expect, it } from 'vitest';
import { loadCassette } from '../../../test/support/fixtures.js';
import type { AnthropicUsage } from './anthropic-usage.js';
import { AnthropicUsageTracker, mapAnthropicUsage } from './anthropic-usage.js';

describe('mapAnthropicUsage', () => {
  it('prompt caching (cache_real_api): cache reads and writes count into inputTokens', () => {
    const usages = loadCassette('anthropic-messages/pydantic-ai-anthropic_cache_real_api.yaml').map(
      (interaction) => (interaction.response.parsed_body as { usage: AnthropicUsage }).usage,
    );
    expect(usages.map(mapAnthropicUsage)).toEqual([
      { inputTokens: 3 + 1111, outputTokens: 406, cachedInputTokens: 1111, cacheWriteTokens: 0 },
      { inputTokens: 3 + 1111 + 418, outputTokens: 33, cachedInputTokens: 1111, cacheWriteTokens: 418 },
    ]);
  });

  it('reads output_tokens_details.thinking_tokens as reasoning tokens', () => {
    expect(
      mapAnthropicUsage({
        input_tokens: 10,
        output_tokens: 50,
        output_tokens_details: { thinking_tokens: 30 },
      }),
    ).toEqual({
      inputTokens: 10,
      outputTokens: 50,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 30,
    });
  });
});

describe('AnthropicUsageTracker', () => {
  it('a later report with only output_tokens (or nulls) keeps the earlier input counts', () => {
    const tracker = new AnthropicUsageTracker();
    tracker.update({
      input_tokens: 20,
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 5,
      output_tokens: 1,
    });
    expect(tracker.update({ output_tokens: 42, input_tokens: null, cache_read_input_tokens: null })).toEqual({
      inputTokens: 125,
      outputTokens: 42,
      cachedInputTokens: 100,
      cacheWriteTokens: 5,
    });
  });
});
