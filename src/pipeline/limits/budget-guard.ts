/**
 * Spend budgets in USD per key (or for the whole gateway) per day, month or in total. Before the call
 * the worst case (estimated input + max output tokens, priced) is reserved atomically in every budget
 * that applies, so concurrent requests can never overspend together; after the call the reservation is
 * settled with the real cost, or released if the call failed. Amounts are integer micro-USD.
 */
import type { Usage } from '../../core/usage.js';
import {
  type BudgetPeriod,
  microsToUsd,
  type PeriodCounter,
  periodCounter,
  usdToMicros,
} from '../../storage/budget-period.js';
import type { CounterStore } from '../../storage/counter-store.js';
import { LimitExceededError } from './rate-limit-error.js';

export interface BudgetRule {
  period: BudgetPeriod;
  limitUsd: number;
  /** `key` (default): the caller's own budget; `global`: one budget for all callers. */
  scope?: 'key' | 'global';
}

/** USD for `usage` on `model`, or undefined when the model has no price (then it reserves nothing). */
export type PriceFunction = (model: string, usage: Usage) => number | undefined;

export interface BudgetReserveInput {
  keyName: string;
  model: string;
  budgets: readonly BudgetRule[];
  estimatedInputTokens: number;
  maxOutputTokens?: number;
}

export interface BudgetHold {
  /** The reserved worst case, USD. */
  estimateUsd: number;
  degraded: boolean;
  /** Records the real cost in every budget (once; later calls are ignored). */
  settle(actualCostUsd: number): Promise<void>;
  /** Drops the holds without spending (the call failed before costing anything). */
  release(): Promise<void>;
}

export interface BudgetGuardOptions {
  price: PriceFunction;
  /** Used when the request sets no max output tokens. */
  defaultMaxOutputTokens?: number;
  /** How long a hold survives a node that never settles it. */
  holdTtlMs?: number;
  clock?: () => number;
}

/** Retry-After for a request refused only because of other requests' holds: they end within seconds. */
const IN_FLIGHT_RETRY_MS = 1000;

interface Held {
  key: string;
  reservationId: string;
  keyTtlMs?: number;
}

export class BudgetGuard {
  private readonly holdTtlMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly store: CounterStore,
    private readonly options: BudgetGuardOptions,
  ) {
    this.holdTtlMs = options.holdTtlMs ?? 15 * 60_000;
    this.clock = options.clock ?? Date.now;
  }

  estimateUsd(model: string, estimatedInputTokens: number, maxOutputTokens?: number): number {
    const usage: Usage = {
      inputTokens: Math.max(0, Math.ceil(estimatedInputTokens)),
      outputTokens: maxOutputTokens ?? this.options.defaultMaxOutputTokens ?? 4096,
    };
    return this.options.price(model, usage) ?? 0;
  }

  async reserve(input: BudgetReserveInput): Promise<BudgetHold> {
    const estimateUsd = this.estimateUsd(input.model, input.estimatedInputTokens, input.maxOutputTokens);
    const amount = usdToMicros(estimateUsd, 'up');
    const now = this.clock();
    const held: Held[] = [];
    let degraded = false;
    for (const rule of input.budgets) {
      const base = rule.scope === 'global' ? 'budget:global' : `budget:key:${input.keyName}`;
      const counter = periodCounter(base, rule.period, now);
      const limit = usdToMicros(rule.limitUsd);
      const result = await this.store.reserve(counter.key, amount, limit, this.holdTtlMs, {
        now,
        ...(counter.keyTtlMs === undefined ? {} : { keyTtlMs: counter.keyTtlMs }),
      });
      if (!result.ok) {
        await this.releaseAll(held);
        const retryAfterMs = await this.retryAfter(counter, amount, limit, now, result.retryAfterMs);
        throw budgetExceeded(rule, input.keyName, estimateUsd, microsToUsd(result.remaining), retryAfterMs);
      }
      degraded ||= result.degraded === true;
      held.push({ key: counter.key, reservationId: result.reservationId, keyTtlMs: counter.keyTtlMs });
    }
    let done = false;
    return {
      estimateUsd,
      degraded,
      settle: async (actualCostUsd) => {
        if (done) return;
        done = true;
        const actual = usdToMicros(Math.max(0, actualCostUsd));
        for (const hold of held) {
          await this.store.settle(hold.key, hold.reservationId, actual, { keyTtlMs: hold.keyTtlMs });
        }
      },
      release: async () => {
        if (done) return;
        done = true;
        await this.releaseAll(held);
      },
    };
  }

  /** Spent and held USD in a budget right now, for admin views. */
  async balance(keyName: string, rule: BudgetRule): Promise<{ spentUsd: number; heldUsd: number }> {
    const base = rule.scope === 'global' ? 'budget:global' : `budget:key:${keyName}`;
    const now = this.clock();
    const { used, held } = await this.store.balance(periodCounter(base, rule.period, now).key, now);
    return { spentUsd: microsToUsd(used), heldUsd: microsToUsd(held) };
  }

  /**
   * When a refused request may fit: soon, if only requests in flight stand in the way (their holds are
   * settled, usually below the worst case, as they end; the hold expiry, minutes away, is only the bound
   * for a node that died); else when the period ends (none for a spent `total` budget).
   */
  private async retryAfter(
    counter: PeriodCounter,
    amount: number,
    limit: number,
    now: number,
    untilHoldLapses: number | undefined,
  ): Promise<number | undefined> {
    const periodEnd = counter.endsAt === undefined ? undefined : counter.endsAt - now;
    if (untilHoldLapses === undefined) return periodEnd;
    const spent = await this.store.balance(counter.key, now).then(
      ({ used }) => used,
      () => undefined,
    );
    if (spent !== undefined && spent + amount > limit) return periodEnd;
    return Math.min(untilHoldLapses, IN_FLIGHT_RETRY_MS);
  }

  private async releaseAll(held: readonly Held[]): Promise<void> {
    for (const hold of held) await this.store.release(hold.key, hold.reservationId);
  }
}

function budgetExceeded(
  rule: BudgetRule,
  keyName: string,
  estimateUsd: number,
  remainingUsd: number,
  retryAfterMs: number | undefined,
): LimitExceededError {
  const owner = rule.scope === 'global' ? 'The gateway' : `Key "${keyName}"`;
  const period = rule.period === 'total' ? 'in total' : `per ${rule.period}`;
  const message =
    `Budget exceeded: ${owner} may spend $${rule.limitUsd} ${period}; $${remainingUsd.toFixed(6)} is left ` +
    `and this request may cost up to $${estimateUsd.toFixed(6)}`;
  const headers: Record<string, string> =
    retryAfterMs === undefined ? {} : { 'Retry-After': String(Math.ceil(retryAfterMs / 1000)) };
  return new LimitExceededError('quota', message, headers, {
    code: 'budget_exceeded',
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
