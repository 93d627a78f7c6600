import { describe, expect, it } from 'vitest';
import type { ReasoningRequest } from '../../core/canonical-request.js';
import { geminiVersion, mapGeminiThinkingConfig } from './map-gemini-thinking-config.js';

describe('mapGeminiThinkingConfig', () => {
  const cases: Array<{ model: string; reasoning: ReasoningRequest | undefined; expected: unknown }> = [
    { model: 'gemini-2.5-flash', reasoning: undefined, expected: undefined },
    { model: 'gemini-2.5-flash', reasoning: {}, expected: undefined },
    // Gemini 3: levels. Pro knows low/high; Flash also minimal/medium. Thinking cannot be turned off.
    {
      model: 'gemini-3-pro-preview',
      reasoning: { effort: 'none' },
      expected: { thinkingLevel: 'low', includeThoughts: false },
    },
    {
      model: 'gemini-3-pro-preview',
      reasoning: { effort: 'low' },
      expected: { thinkingLevel: 'low', includeThoughts: true },
    },
    {
      model: 'gemini-3-pro-preview',
      reasoning: { effort: 'medium' },
      expected: { thinkingLevel: 'high', includeThoughts: true },
    },
    {
      model: 'gemini-3.1-pro-preview',
      reasoning: { effort: 'xhigh' },
      expected: { thinkingLevel: 'high', includeThoughts: true },
    },
    {
      model: 'gemini-3-flash-preview',
      reasoning: { effort: 'minimal' },
      expected: { thinkingLevel: 'minimal', includeThoughts: true },
    },
    {
      model: 'gemini-3-flash-preview',
      reasoning: { effort: 'medium' },
      expected: { thinkingLevel: 'medium', includeThoughts: true },
    },
    {
      model: 'gemini-3-flash-preview',
      reasoning: { effort: 'xhigh' },
      expected: { thinkingLevel: 'high', includeThoughts: true },
    },
    // Gemini 2.5: budgets from the ladder.
    {
      model: 'gemini-2.5-flash',
      reasoning: { effort: 'none' },
      expected: { thinkingBudget: 0, includeThoughts: false },
    },
    {
      model: 'gemini-2.5-flash',
      reasoning: { effort: 'low' },
      expected: { thinkingBudget: 2048, includeThoughts: true },
    },
    {
      model: 'gemini-2.5-flash',
      reasoning: { effort: 'xhigh' },
      expected: { thinkingBudget: 24576, includeThoughts: true },
    },
    {
      model: 'gemini-2.5-pro',
      reasoning: { effort: 'none' },
      expected: { thinkingBudget: 128, includeThoughts: false },
    },
    {
      model: 'gemini-2.5-pro',
      reasoning: { effort: 'xhigh' },
      expected: { thinkingBudget: 32768, includeThoughts: true },
    },
    {
      model: 'gemini-flash-latest',
      reasoning: { effort: 'medium' },
      expected: { thinkingBudget: 8192, includeThoughts: true },
    },
    // An explicit budget wins over the ladder, on every thinking model.
    {
      model: 'gemini-2.5-flash',
      reasoning: { effort: 'high', budgetTokens: 3000 },
      expected: { thinkingBudget: 3000, includeThoughts: true },
    },
    {
      model: 'gemini-3-pro-preview',
      reasoning: { budgetTokens: 5000 },
      expected: { thinkingBudget: 5000, includeThoughts: true },
    },
    {
      model: 'gemini-2.5-pro',
      reasoning: { budgetTokens: 0 },
      expected: { thinkingBudget: 128, includeThoughts: false },
    },
    {
      model: 'gemini-2.5-flash',
      reasoning: { budgetTokens: -1 },
      expected: { thinkingBudget: -1, includeThoughts: true },
    },
    // No thinking before 2.5: the field would be rejected.
    { model: 'gemini-2.0-flash', reasoning: { effort: 'high' }, expected: undefined },
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
