import { describe, expect, it } from 'vitest';
import { mapCohereThinking } from './map-cohere-thinking.js';

describe('mapCohereThinking', () => {
  it.each([
    [undefined, undefined],
    [{ mode: 'disabled' as const }, { type: 'disabled' }],
    // Adaptive thinking without an effort: on, with no budget, so the model decides how much.
    [{ mode: 'adaptive' as const }, { type: 'enabled' }],
    [
      { mode: 'unset' as const, effort: 'low' as const },
      { type: 'enabled', token_budget: 2048 },
    ],
    [
      { mode: 'enabled' as const, effort: 'minimal' as const },
      { type: 'enabled', token_budget: 1024 },
    ],
    [
      { mode: 'enabled' as const, effort: 'medium' as const },
      { type: 'enabled', token_budget: 8192 },
    ],
    [
      { mode: 'enabled' as const, effort: 'xhigh' as const },
      { type: 'enabled', token_budget: 32768 },
    ],
    [
      { mode: 'enabled' as const, effort: 'none' as const, budgetTokens: 3000 },
      { type: 'enabled', token_budget: 3000 },
    ],
    [{ mode: 'enabled' as const, budgetTokens: 0 }, { type: 'disabled' }],
  ])('%j -> %j', (reasoning, expected) => {
    expect(mapCohereThinking(reasoning)).toEqual(expected);
  });
});
