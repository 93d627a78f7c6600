import { describe, expect, it } from 'vitest';
import { mapMistralReasoning } from './map-mistral-reasoning.js';

describe('mapMistralReasoning', () => {
  it.each([
    ['magistral-medium-latest', { effort: 'high' as const }, { prompt_mode: 'reasoning' }],
    ['magistral-small-2509', { effort: 'minimal' as const }, { prompt_mode: 'reasoning' }],
    ['magistral-medium-latest', { budgetTokens: 2048 }, { prompt_mode: 'reasoning' }],
    // Magistral always reasons; there is nothing to send to stop it.
    ['magistral-medium-latest', { effort: 'none' as const }, {}],
    ['mistral-small-latest', { effort: 'low' as const }, { reasoning_effort: 'high' }],
    ['mistral-medium-3-5', { effort: 'xhigh' as const }, { reasoning_effort: 'high' }],
    ['mistral-small-latest', { effort: 'none' as const }, { reasoning_effort: 'none' }],
    ['mistral-small-latest', { effort: 'high' as const, budgetTokens: 0 }, { reasoning_effort: 'none' }],
    ['mistral-small-latest', {}, {}],
    ['mistral-small-latest', undefined, {}],
  ])('%s with %j -> %j', (model, reasoning, expected) => {
    expect(mapMistralReasoning(model, reasoning)).toEqual(expected);
  });
});
