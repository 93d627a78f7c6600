import { describe, expect, it } from 'vitest';
import { loadCassette, loadChunks } from '../../../test/support/fixtures.js';
import { mapBedrockUsage } from './map-bedrock-usage.js';

function usageOf(interaction: ReturnType<typeof loadCassette>[number]): Record<string, number> {
  return (interaction.response.parsed_body as { usage: Record<string, number> }).usage;
}

describe('mapBedrockUsage', () => {
  it('adds cache writes to the prompt tokens (first call of the cache cassette)', () => {
    const [write, read] = loadCassette('bedrock-converse/pydantic-ai-bedrock_cache_write_and_read.yaml');
    // Recorded: inputTokens 2, cacheWriteInputTokens 1322, outputTokens 5, totalTokens 1329.
    expect(mapBedrockUsage(usageOf(write!))).toEqual({
      inputTokens: 1324,
      outputTokens: 5,
      cachedInputTokens: 0,
      cacheWriteTokens: 1322,
    });
    // The second call reads the same 1322 tokens back from the cache.
    expect(mapBedrockUsage(usageOf(read!))).toEqual({
      inputTokens: 1324,
      outputTokens: 5,
      cachedInputTokens: 1322,
      cacheWriteTokens: 0,
    });
  });

  it('keeps the canonical total equal to Bedrock totalTokens', () => {
    const [write] = loadCassette('bedrock-converse/pydantic-ai-bedrock_cache_write_and_read.yaml');
    const raw = usageOf(write!);
    const usage = mapBedrockUsage(raw);
    expect(usage.inputTokens + usage.outputTokens).toBe(raw.totalTokens);
  });

  it('reports no cache fields for a model that does not cache (stream metadata)', () => {
    const metadata = loadChunks('bedrock-converse/vercel-amazon-bedrock-text.chunks.txt').find(
      (chunk) => (chunk as { metadata?: unknown }).metadata,
    ) as { metadata: { usage: Record<string, number> } };
    expect(mapBedrockUsage(metadata.metadata.usage)).toEqual({ inputTokens: 22, outputTokens: 55 });
  });
});
