/**
 * Budget periods as counter keys: the period's start is part of the key, so a new day or month is
 * simply a new, empty counter, and the old one expires shortly after its period ends (TTL), which keeps
 * it readable for a grace period (admin views of "yesterday").
 */
export type BudgetPeriod = 'day' | 'month' | 'total';

export interface PeriodCounter {
  key: string;
  /** Lifetime to give the counter; undefined for "total", which never resets. */
  keyTtlMs?: number;
  /** End of the period (UTC), epoch ms; undefined for "total". */
  endsAt?: number;
}

const GRACE_MS = 7 * 24 * 60 * 60 * 1000;

/** UTC period containing `now`. */
export function periodBounds(period: BudgetPeriod, now: number): { start: number; end?: number } {
  if (period === 'total') return { start: 0 };
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  if (period === 'month') return { start: Date.UTC(year, month, 1), end: Date.UTC(year, month + 1, 1) };
  const day = date.getUTCDate();
  return { start: Date.UTC(year, month, day), end: Date.UTC(year, month, day + 1) };
}

export function periodCounter(base: string, period: BudgetPeriod, now: number): PeriodCounter {
  const { start, end } = periodBounds(period, now);
  if (end === undefined) return { key: `${base}:total` };
  const label = new Date(start).toISOString().slice(0, period === 'day' ? 10 : 7);
  return { key: `${base}:${period}:${label}`, keyTtlMs: end - now + GRACE_MS, endsAt: end };
}

/** USD to integer micro-USD. Estimates round up (never under-reserve); actual costs round to nearest. */
export function usdToMicros(usd: number, rounding: 'up' | 'nearest' = 'nearest'): number {
  const micros = usd * 1_000_000;
  // The epsilon absorbs float noise such as 0.1 * 3 * 1e6 = 300000.00000000006 before rounding up.
  return rounding === 'up' ? Math.ceil(micros - 1e-6) : Math.round(micros);
}

export function microsToUsd(micros: number): number {
  return micros / 1_000_000;
}
