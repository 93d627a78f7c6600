import { describe, expect, it } from 'vitest';
import type { Usage } from '../../core/usage.js';
import { MemoryCounterStore } from '../../storage/memory/memory-counter-store.js';
import { BudgetGuard, type BudgetRule } from './budget-guard.js';
import { LimitExceededError } from './rate-limit-error.js';

const NOON = Date.UTC(2025, 5, 15, 12); // 2025-06-15T12:00Z
// $1 per million input tokens, $2 per million output tokens; "free-model" has no price.
const price = (model: string, usage: Usage): number | undefined =>
  model === 'free-model' ? undefined : (usage.inputTokens * 1 + usage.outputTokens * 2) / 1_000_000;

function setup(holdTtlMs = 60_000) {
  const clock = { now: NOON };
  const store = new MemoryCounterStore();
  const guard = new BudgetGuard(store, { price, holdTtlMs, clock: () => clock.now });
  return { guard, clock };
}

const daily = (limitUsd: number): BudgetRule => ({ period: 'day', limitUsd });
// 1000 input + 1000 max output = $0.003 worst case.
const request = (budgets: BudgetRule[], keyName = 'team-a') => ({
  keyName,
  model: 'm',
  budgets,
  estimatedInputTokens: 1000,
  maxOutputTokens: 1000,
});

async function refusal(promise: Promise<unknown>): Promise<LimitExceededError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof LimitExceededError))
    throw new Error(`expected a LimitExceededError, got ${String(error)}`);
  return error;
}

describe('BudgetGuard', () => {
  it('reserves the worst case, refuses what could overspend, and frees the unused part on settle', async () => {
    const { guard } = setup();
    const holds = [];
    for (let i = 0; i < 3; i++) holds.push(await guard.reserve(request([daily(0.01)])));
    expect(holds[0]!.estimateUsd).toBeCloseTo(0.003, 12);
    const error = await refusal(guard.reserve(request([daily(0.01)])));
    expect(error).toMatchObject({
      status: 429,
      failureClass: 'quota',
      code: 'budget_exceeded',
      // Only requests in flight stand in the way: their holds settle as they end, not when they lapse.
      retryAfterMs: 1000,
    });
    expect(error.message).toBe(
      'Budget exceeded: Key "team-a" may spend $0.01 per day; $0.001000 is left and this request may cost up to $0.003000',
    );
    await holds[0]!.settle(0.0005);
    await holds[0]!.settle(5); // only the first settle counts
    expect(await guard.balance('team-a', daily(0.01))).toEqual({ spentUsd: 0.0005, heldUsd: 0.006 });
    await guard.reserve(request([daily(0.01)]));
    await holds[1]!.release();
    expect(await guard.balance('team-a', daily(0.01))).toEqual({ spentUsd: 0.0005, heldUsd: 0.006 });
  });

  it('never overspends under 100 concurrent requests: exactly 10 fit in $0.03', async () => {
    const { guard } = setup();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => guard.reserve(request([daily(0.03)]))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(
      results.filter((r) => r.status === 'rejected' && r.reason instanceof LimitExceededError),
    ).toHaveLength(90);
  });

  it('holds every budget that applies and undoes earlier holds when a later one refuses', async () => {
    const { guard } = setup();
    const month: BudgetRule = { period: 'month', limitUsd: 0.004 };
    const global: BudgetRule = { period: 'total', limitUsd: 1, scope: 'global' };
    await guard.reserve(request([daily(1), month, global]));
    const error = await refusal(guard.reserve(request([daily(1), month, global])));
    expect(error.message).toContain('per month');
    expect(await guard.balance('team-a', daily(1))).toEqual({ spentUsd: 0, heldUsd: 0.003 });
    expect(await guard.balance('anyone', global)).toEqual({ spentUsd: 0, heldUsd: 0.003 });
  });

  it('a spent daily budget says to come back at midnight UTC; a new day starts from zero', async () => {
    const { guard, clock } = setup();
    const hold = await guard.reserve(request([daily(0.005)]));
    await hold.settle(0.005);
    const error = await refusal(guard.reserve(request([daily(0.005)])));
    expect(error.retryAfterMs).toBe(12 * 3600_000);
    expect(error.headers['Retry-After']).toBe(String(12 * 3600));
    clock.now = Date.UTC(2025, 5, 16, 0, 0, 1);
    await expect(guard.reserve(request([daily(0.005)]))).resolves.toBeDefined();
    // Another key was never affected.
    clock.now = NOON;
    await expect(guard.reserve(request([daily(0.005)], 'team-b'))).resolves.toBeDefined();
  });

  it('a budget spent even without the holds in flight says to come back when the period ends', async () => {
    const { guard } = setup();
    const spent = await guard.reserve(request([daily(0.005)]));
    await spent.settle(0.004);
    const inFlight = await guard.reserve({ ...request([daily(0.005)]), maxOutputTokens: 0 });
    const error = await refusal(guard.reserve(request([daily(0.005)])));
    expect(error.retryAfterMs).toBe(12 * 3600_000);
    await inFlight.release();
  });

  it('lets unpriced models through until the budget is spent, then refuses them too', async () => {
    const { guard } = setup();
    const free = { ...request([{ period: 'total', limitUsd: 0.001 } as BudgetRule]), model: 'free-model' };
    const hold = await guard.reserve(free);
    expect(hold.estimateUsd).toBe(0);
    await hold.settle(0.001);
    const error = await refusal(guard.reserve(free));
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.message).toContain('in total');
  });

  it('prices the default max output when the request sets none', () => {
    const guard = new BudgetGuard(new MemoryCounterStore(), { price, defaultMaxOutputTokens: 500 });
    expect(guard.estimateUsd('m', 1000)).toBeCloseTo(0.002, 12);
  });
});
