import { describe, expect, it } from 'vitest';
import { groqTakesReasoningEffort } from './groq-reasoning.js';
import { isXaiReasoningModel, xaiTakesReasoningEffort } from './xai-reasoning.js';

describe('which models take which reasoning controls', () => {
  it.each([
    ['grok-3-mini', true, true],
    ['grok-3-mini-fast', true, true],
    ['grok-3', false, false],
    ['grok-4', true, false],
    ['grok-4-0709', true, false],
    ['grok-4-1-fast-reasoning', true, false],
    ['grok-4-fast-non-reasoning', false, false],
    ['grok-code-fast-1', true, false],
    ['grok-2-vision-1212', false, false],
  ])('xai %s: reasoning model %s, reasoning_effort %s', (model, reasons, effort) => {
    expect(isXaiReasoningModel(model)).toBe(reasons);
    expect(xaiTakesReasoningEffort(model)).toBe(effort);
  });

  it.each([
    ['openai/gpt-oss-120b', true],
    ['openai/gpt-oss-20b', true],
    ['qwen/qwen3-32b', true],
    ['llama-3.3-70b-versatile', false],
    ['moonshotai/kimi-k2-instruct-0905', false],
  ])('groq %s takes reasoning_effort: %s', (model, takes) => {
    expect(groqTakesReasoningEffort(model)).toBe(takes);
  });
});
