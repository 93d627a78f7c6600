import { describe, expect, it } from 'vitest';
import { defaultMaxTokens } from './anthropic-max-tokens.js';

describe('defaultMaxTokens', () => {
  it.each([
    ['claude-sonnet-4-0', 64000],
    ['claude-sonnet-4-20250514', 64000],
    ['claude-sonnet-4-5', 64000],
    ['claude-sonnet-4-5-20250929', 64000],
    ['claude-sonnet-4-6', 64000],
    ['claude-haiku-4-5-20251001', 64000],
    ['claude-opus-4-5-20251101', 64000],
    ['claude-opus-4-6', 64000],
    ['claude-opus-4-20250514', 32000],
    ['claude-opus-4-0', 32000],
    ['claude-opus-4-1-20250805', 32000],
    ['claude-3-7-sonnet-20250219', 8192],
    ['claude-3-5-sonnet-20241022', 8192],
    ['claude-3-5-haiku-latest', 8192],
    ['claude-3-haiku-20240307', 4096],
    ['claude-3-opus-20240229', 4096],
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 64000],
    ['some-other-model', 4096],
  ])('%s → %i', (model, expected) => {
    expect(defaultMaxTokens(model)).toBe(expected);
  });
});
