import { describe, expect, it } from 'vitest';
import { mapOllamaThink } from './map-ollama-think.js';

describe('mapOllamaThink', () => {
  it.each([
    ['qwen3', undefined, undefined],
    ['qwen3', {}, undefined],
    ['qwen3', { effort: 'none' as const }, false],
    ['qwen3', { effort: 'low' as const }, true],
    ['deepseek-r1:8b', { effort: 'xhigh' as const }, true],
    ['qwen3', { budgetTokens: 0 }, false],
    ['qwen3', { budgetTokens: 4096 }, true],
    ['gpt-oss:20b', { effort: 'none' as const }, 'low'],
    ['gpt-oss:20b', { effort: 'minimal' as const }, 'low'],
    ['gpt-oss:20b', { effort: 'low' as const }, 'low'],
    ['gpt-oss:120b', { effort: 'medium' as const }, 'medium'],
    ['gpt-oss', { effort: 'high' as const }, 'high'],
    ['gpt-oss', { effort: 'xhigh' as const }, 'high'],
    ['library/gpt-oss:20b', { budgetTokens: 8192 }, 'medium'],
  ])('%s with %j -> %j', (model, reasoning, expected) => {
    expect(mapOllamaThink(model, reasoning)).toBe(expected);
  });
});
