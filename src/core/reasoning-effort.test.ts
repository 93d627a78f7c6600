import { describe, expect, it } from 'vitest';
import type { ReasoningRequest } from './canonical-request.js';
import {
  effortForBudget,
  ladderEffort,
  reasoningForRung,
  requestedThinkingBudget,
} from './reasoning-effort.js';

describe('the reasoning ladder', () => {
  it('an OpenAI-style rung switches thinking too: none is off', () => {
    expect(reasoningForRung('none')).toEqual({ mode: 'disabled' });
    expect(reasoningForRung('low')).toEqual({ mode: 'enabled', effort: 'low' });
    expect(reasoningForRung('max')).toEqual({ mode: 'enabled', effort: 'max' });
  });

  it('a budget maps back to the nearest rung at or below it, never above xhigh', () => {
    expect(effortForBudget(0)).toBe('none');
    expect(effortForBudget(1500)).toBe('minimal');
    expect(effortForBudget(3000)).toBe('low');
    expect(effortForBudget(100_000)).toBe('xhigh');
  });

  it.each<[ReasoningRequest | undefined, string | undefined, number | undefined]>([
    [undefined, undefined, undefined],
    [{ mode: 'enabled', effort: 'low' }, 'low', 2048],
    [{ mode: 'enabled', budgetTokens: 3000, effort: 'max' }, 'low', 3000],
    [{ mode: 'disabled', effort: 'high' }, 'none', 0],
    [{ mode: 'adaptive' }, undefined, undefined],
    [{ mode: 'adaptive', effort: 'medium' }, 'medium', 8192],
    [{ mode: 'unset', effort: 'xhigh' }, 'xhigh', 32768],
  ])('%o: rung %s, budget %s', (reasoning, rung, budget) => {
    expect(ladderEffort(reasoning)).toBe(rung);
    expect(requestedThinkingBudget(reasoning)).toBe(budget);
  });
});
