import { describe, expect, it } from 'vitest';
import type { ReasoningRequest } from '../../core/canonical-request.js';
import { geminiVersion, mapGeminiThinkingConfig } from './map-gemini-thinking-config.js';

describe('mapGeminiThinkingConfig', () => {
  const cases: Array<{ model: string; reasoning: ReasoningRequest | undefined; expected: unknown }> = [
    { model: 'gemini-2.5-flash', reasoning: undefined, expected: undefined },
    // Gemini 3: levels. Pro knows low/high; Flash also minimal/medium. Thinking cannot be turned off.
    {
      model: 'gemini-3-pro-preview',
      reasoning: { mode: 'disabled' },
      expected: { thinkingLevel: 'low', includeThoughts: false },
    },
    {
      model: 'gemini-3-pro-preview',
      reasoning: { mode: 'enabled', effort: 'low' },
      expected: { thinkingLevel: 'low', includeThoughts: true },
    },
    {
      model: 'gemini-3-pro-preview',
      reasoning: { mode: 'enabled', effort: 'medium' },
      expected: { thinkingLevel: 'high', includeThoughts: true },
    },
    {
      model: 'gemini-3.1-pro-preview',
      reasoning: { mode: 'enabled', effort: 'xhigh' },
      expected: { thinkingLevel: 'high', includeThoughts: true },
    },
    {
      model: 'gemini-3-flash-preview',
      reasoning: { mode: 'enabled', effort: 'minimal' },
      expected: { thinkingLevel: 'minimal', includeThoughts: true },
    },
    {
      model: 'gemini-3-flash-preview',
      reasoning: { mode: 'enabled', effort: 'medium' },
      expected: { thinkingLevel: 'medium', includeThoughts: true },
    },
    {
      model: 'gemini-3-flash-preview',
      reasoning: { mode: 'enabled', effort: 'xhigh' },
      expected: { thinkingLevel: 'high', includeThoughts: true },
    },
    // Gemini 2.5: budgets from the ladder.
    {
      model: 'gemini-2.5-flash',
      reasoning: { mode: 'disabled' },
      expected: { thinkingBudget: 0, includeThoughts: false },
    },
    {
      model: 'gemini-2.5-flash',
      reasoning: { mode: 'enabled', effort: 'low' },
      expected: { thinkingBudget: 2048, includeThoughts: true },
    },
    {
      model: 'gemini-2.5-flash',
      reasoning: { mode: 'enabled', effort: 'xhigh' },
      expected: { thinkingBudget: 24576, includeThoughts: true },
    },
    {
      model: 'gemini-2.5-pro',
      reasoning: { mode: 'disabled' },
      expected: { thinkingBudget: 128, includeThoughts: false },
    },
    {
      model: 'gemini-2.5-pro',
      reasoning: { mode: 'enabled', effort: 'xhigh' },
      expected: { thinkingBudget: 32768, includeThoughts: true },
    },
    {
      model: 'gemini-flash-latest',
      reasoning: { mode: 'enabled', effort: 'medium' },
      expected: { thinkingBudget: 8192, includeThoughts: true },
    },
    // An explicit budget wins over the ladder, on every thinking model.
    {
      model: 'gemini-2.5-flash',
      reasoning: { mode: 'enabled', effort: 'high', budgetTokens: 3000 },
      expected: { thinkingBudget: 3000, includeThoughts: true },
    },
    {
      model: 'gemini-3-pro-preview',
      reasoning: { mode: 'enabled' as const, budgetTokens: 5000 },
      expected: { thinkingBudget: 5000, includeThoughts: true },
    },
    {
      model: 'gemini-2.5-pro',
      reasoning: { mode: 'enabled' as const, budgetTokens: 0 },
      expected: { thinkingBudget: 128, includeThoughts: false },
    },
    {
      model: 'gemini-2.5-flash',
      reasoning: { mode: 'enabled', budgetTokens: -1 },
      expected: { thinkingBudget: -1, includeThoughts: true },
    },
    // No thinking before 2.5: the field would be rejected.
    { model: 'gemini-2.0-flash', reasoning: { mode: 'enabled', effort: 'high' }, expected: undefined },
    // Adaptive thinking without an effort is Gemini's dynamic thinking; with one, the effort's rung.
    {
      model: 'gemini-2.5-flash',
      reasoning: { mode: 'adaptive' },
      expected: { thinkingBudget: -1, includeThoughts: true },
    },
    { model: 'gemini-3-flash-preview', reasoning: { mode: 'adaptive' }, expected: { includeThoughts: true } },
    {
      model: 'gemini-3-flash-preview',
      reasoning: { mode: 'adaptive', effort: 'low' },
      expected: { thinkingLevel: 'low', includeThoughts: true },
    },
    // An effort on its own (Anthropic's output effort) is the closest thing Gemini has: its rung.
    {
      model: 'gemini-2.5-flash',
      reasoning: { mode: 'unset', effort: 'low' },
      expected: { thinkingBudget: 2048, includeThoughts: true },
    },
    // Thinking off wins over an output effort.
    {
      model: 'gemini-2.5-flash',
      reasoning: { mode: 'disabled', effort: 'high' },
      expected: { thinkingBudget: 0, includeThoughts: false },
    },
    {
      model: 'gemini-2.5-flash',
      reasoning: { mode: 'adaptive', display: 'omitted' },
      expected: { thinkingBudget: -1, includeThoughts: false },
    },
    {
      model: 'gemini-2.5-flash',
      reasoning: { mode: 'enabled', effort: 'max' },
      expected: { thinkingBudget: 24576, includeThoughts: true },
    },
    {
      model: 'gemini-3-pro-preview',
      reasoning: { mode: 'enabled', effort: 'max' },
      expected: { thinkingLevel: 'high', includeThoughts: true },
    },
  ];

  it.each(cases)('$model $reasoning', ({ model, reasoning, expected }) => {
    expect(mapGeminiThinkingConfig(model, reasoning)).toEqual(expected);
  });

  it.each([
    ['gemini-2.5-flash-lite', 2.5],
    ['gemini-3-pro-preview', 3],
    ['gemini-3.1-pro-preview', 3.1],
    ['models/gemini-2.0-flash', 2],
    ['gemini-flash-latest', undefined],
  ])('geminiVersion(%s) = %s', (model, version) => {
    expect(geminiVersion(model)).toBe(version);
  });
});
