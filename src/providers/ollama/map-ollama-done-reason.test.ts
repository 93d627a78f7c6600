import { describe, expect, it } from 'vitest';
import { mapOllamaDoneReason } from './map-ollama-done-reason.js';

describe('mapOllamaDoneReason', () => {
  it.each([
    ['stop', false, 'stop'],
    ['stop', true, 'tool_calls'],
    [undefined, false, 'stop'],
    [undefined, true, 'tool_calls'],
    ['length', false, 'length'],
    ['length', true, 'length'],
    ['load', false, 'other'],
    ['unload', false, 'other'],
    ['something-new', false, 'other'],
  ] as const)('%s (tool calls: %s) -> %s', (raw, hasToolCalls, expected) => {
    expect(mapOllamaDoneReason(raw, hasToolCalls)).toBe(expected);
  });
});
