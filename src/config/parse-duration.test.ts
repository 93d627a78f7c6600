import { describe, expect, it } from 'vitest';
import { parseDuration } from './parse-duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['1ms', 1],
    ['60s', 60_000],
    ['1.5s', 1_500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1m30s', 90_000],
    ['2s500ms', 2_500],
    [' 10s ', 10_000],
    [600000, 600_000],
    [250, 250],
    [1.6, 2],
  ] as Array<[string | number, number]>)('%j -> %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([
    ['', 'empty duration'],
    ['60', 'invalid duration "60"'],
    ['s', 'invalid duration "s"'],
    ['10 s', 'invalid duration "10 s"'],
    ['1d', 'invalid duration "1d"'],
    ['-5s', 'invalid duration "-5s"'],
    ['5sec', 'invalid duration "5sec"'],
    ['0s', 'must be a positive duration'],
    [0, 'must be a positive duration'],
    [-1, 'must be a positive duration'],
    [0.4, 'must be a positive duration'],
    [Number.POSITIVE_INFINITY, 'must be a positive duration'],
  ] as Array<[string | number, string]>)('rejects %j', (input, message) => {
    expect(() => parseDuration(input)).toThrow(message);
  });
});
