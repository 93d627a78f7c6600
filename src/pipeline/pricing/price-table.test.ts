import { describe, expect, it } from 'vitest';
import { formatUsd, PriceTable } from './price-table.js';

describe('PriceTable', () => {
  const table = new PriceTable([
    { model: 'gpt-4.1', input: 1, output: 2 },
    { model: 'local/*', input: 0, output: 0 },
  ]);

  it('prefers configured prices, then the built-in table, matching dated ids and provider/model', () => {
    expect(table.lookup('gpt-4.1')?.input).toBe(1);
    expect(table.lookup('gpt-4.1-2025-04-14')?.input).toBe(2); // built-in gpt-4.1*
    expect(table.lookup('gpt-4.1-mini')?.output).toBe(1.6);
    expect(table.lookup('claude-sonnet-4-5-20250929')?.cacheWrite).toBe(3.75);
    expect(table.lookup('claude-opus-4-1')?.input).toBe(15);
    expect(table.lookup('claude-opus-4-5')?.input).toBe(5);
    expect(table.lookup('llama', 'local')?.input).toBe(0);
    expect(table.lookup('unknown-model')).toBeUndefined();
  });

  it('bills cached, cache-write and reasoning tokens at their own rates', () => {
    const usage = {
      inputTokens: 1_000_000,
      cachedInputTokens: 400_000,
      cacheWriteTokens: 100_000,
      outputTokens: 1_000_000,
      reasoningTokens: 500_000,
    };
    // claude-sonnet-4: 500k*3 + 400k*0.3 + 100k*3.75 + 1M*15 (no reasoning rate: all output)
    expect(table.cost('claude-sonnet-4', undefined, usage)).toBeCloseTo(1.5 + 0.12 + 0.375 + 15, 9);
    const reasoning = new PriceTable([{ model: 'r', input: 1, output: 2, reasoning: 10 }], false);
    expect(
      reasoning.cost('r', undefined, { inputTokens: 0, outputTokens: 1_000_000, reasoningTokens: 250_000 }),
    ).toBeCloseTo(0.75 * 2 + 0.25 * 10, 9);
  });

  it('formats USD without float noise', () => {
    expect(formatUsd(0)).toBe('0');
    expect(formatUsd(0.000012)).toBe('0.000012');
    expect(formatUsd(0.1 + 0.2)).toBe('0.3');
  });
});

describe('built-in embedding prices', () => {
  it.each([
    ['text-embedding-3-small', undefined, 0.02],
    ['text-embedding-3-large', undefined, 0.13],
    ['gemini-embedding-001', 'gemini', 0.15],
    ['embed-v4.0', 'cohere', 0.12],
    ['us.cohere.embed-v4:0', 'aws', 0.12],
    ['amazon.titan-embed-text-v2:0', 'aws', 0.02],
  ])('prices %s input per million tokens, output 0', (model, provider, usd) => {
    const table = new PriceTable([]);
    expect(table.cost(model, provider, { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(usd, 10);
  });
});
