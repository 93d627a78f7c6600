import { describe, expect, it } from 'vitest';
import { mapCohereThinking } from './map-cohere-thinking.js';

describe('mapCohereThinking', () => {
  it.each([
    [undefined, undefined],
    [{}, undefined],
    [{ effort: 'none' as const }, { type: 'disabled' }],
    [{ effort: 'minimal' as const }, { type: 'enabled', token_budget: 1024 }],
    [{ effort: 'medium' as const }, { type: 'enabled', token_budget: 8192 }],
    [{ effort: 'xhigh' as const }, { type: 'enabled', token_budget: 32768 }],
    [
      { effort: 'none' as const, budgetTokens: 3000 },
      { type: 'enabled', token_budget: 3000 },
    ],
    [{ budgetTokens: 0 }, { type: 'disabled' }],
  ])('%j -> %j', (reasoning, expected) => {
    expect(mapCohereThinking(reasoning)).toEqual(expected);
  });
});
