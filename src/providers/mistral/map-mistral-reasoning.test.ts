import { describe, expect, it } from 'vitest';
import { mapMistralReasoning } from './map-mistral-reasoning.js';

describe('mapMistralReasoning', () => {
  it.each([
    [
      'magistral-medium-latest',
      { mode: 'enabled' as const, effort: 'high' as const },
      { prompt_mode: 'reasoning' },
    ],
    [
      'magistral-small-2509',
      { mode: 'enabled' as const, effort: 'minimal' as const },
      { prompt_mode: 'reasoning' },
    ],
    [
      'magistral-medium-latest',
      { mode: 'enabled' as const, budgetTokens: 2048 },
      { prompt_mode: 'reasoning' },
    ],
    // Magistral always reasons; there is nothing to send to stop it.
    ['magistral-medium-latest', { mode: 'disabled' as const }, {}],
    [
      'mistral-small-latest',
      { mode: 'enabled' as const, effort: 'low' as const },
      { reasoning_effort: 'high' },
    ],
    [
      'mistral-medium-3-5',
      { mode: 'enabled' as const, effort: 'xhigh' as const },
      { reasoning_effort: 'high' },
    ],
    ['mistral-small-latest', { mode: 'disabled' as const }, { reasoning_effort: 'none' }],
    ['mistral-small-latest', { mode: 'adaptive' as const }, { reasoning_effort: 'high' }],
    [
      'mistral-small-latest',
      { mode: 'disabled' as const, effort: 'high' as const },
      { reasoning_effort: 'none' },
    ],
    [
      'mistral-small-latest',
      { mode: 'enabled' as const, effort: 'high' as const, budgetTokens: 0 },
      { reasoning_effort: 'none' },
    ],
    ['mistral-small-latest', undefined, {}],
  ])('%s with %j -> %j', (model, reasoning, expected) => {
    expect(mapMistralReasoning(model, reasoning)).toEqual(expected);
  });
});
