import { describe, expect, it } from 'vitest';
import { mapOllamaThink } from './map-ollama-think.js';

describe('mapOllamaThink', () => {
  it.each([
    ['qwen3', undefined, undefined],
    ['qwen3', { mode: 'disabled' as const }, false],
    ['qwen3', { mode: 'adaptive' as const }, true],
    ['gpt-oss:20b', { mode: 'adaptive' as const }, undefined],
    ['gpt-oss:20b', { mode: 'enabled' as const, effort: 'max' as const }, 'high'],
    ['qwen3', { mode: 'enabled' as const, effort: 'low' as const }, true],
    ['deepseek-r1:8b', { mode: 'enabled' as const, effort: 'xhigh' as const }, true],
    ['qwen3', { mode: 'enabled' as const, budgetTokens: 0 }, false],
    ['qwen3', { mode: 'enabled' as const, budgetTokens: 4096 }, true],
    ['gpt-oss:20b', { mode: 'disabled' as const }, 'low'],
    ['gpt-oss:20b', { mode: 'enabled' as const, effort: 'minimal' as const }, 'low'],
    ['gpt-oss:20b', { mode: 'enabled' as const, effort: 'low' as const }, 'low'],
    ['gpt-oss:120b', { mode: 'enabled' as const, effort: 'medium' as const }, 'medium'],
    ['gpt-oss', { mode: 'enabled' as const, effort: 'high' as const }, 'high'],
    ['gpt-oss', { mode: 'enabled' as const, effort: 'xhigh' as const }, 'high'],
    ['library/gpt-oss:20b', { mode: 'enabled' as const, budgetTokens: 8192 }, 'medium'],
  ])('%s with %j -> %j', (model, reasoning, expected) => {
    expect(mapOllamaThink(model, reasoning)).toBe(expected);
  });
});
