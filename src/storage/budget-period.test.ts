import { describe, expect, it } from 'vitest';
import { microsToUsd, periodBounds, periodCounter, usdToMicros } from './budget-period.js';

const DAY = 86_400_000;

describe('periodCounter', () => {
  const now = Date.UTC(2025, 1, 28, 23, 30); // 2025-02-28T23:30Z

  it.each([
    ['day', 'spend:team-a:day:2025-02-28', Date.UTC(2025, 2, 1)],
    ['month', 'spend:team-a:month:2025-02', Date.UTC(2025, 2, 1)],
  ] as const)('%s: period start in the key, TTL to the period end plus a week', (period, key, end) => {
    expect(periodCounter('spend:team-a', period, now)).toEqual({
      key,
      endsAt: end,
      keyTtlMs: end - now + 7 * DAY,
    });
  });

  it('total never expires', () => {
    expect(periodCounter('spend:team-a', 'total', now)).toEqual({ key: 'spend:team-a:total' });
  });

  it('rolls over at UTC midnight and across the year', () => {
    expect(periodBounds('day', Date.UTC(2024, 11, 31, 23, 59, 59, 999)).end).toBe(Date.UTC(2025, 0, 1));
    expect(periodCounter('k', 'month', Date.UTC(2024, 11, 31, 23)).key).toBe('k:month:2024-12');
    expect(periodCounter('k', 'month', Date.UTC(2025, 0, 1)).key).toBe('k:month:2025-01');
  });
});

describe('micro-USD', () => {
  it('rounds estimates up and actual costs to nearest, without float noise', () => {
    expect(usdToMicros(0.1 * 3, 'up')).toBe(300_000);
    expect(usdToMicros(0.0000001, 'up')).toBe(1);
    expect(usdToMicros(0.0000004)).toBe(0);
    expect(usdToMicros(12.3456789)).toBe(12_345_679);
    expect(microsToUsd(12_345_679)).toBeCloseTo(12.345679, 9);
  });
});
