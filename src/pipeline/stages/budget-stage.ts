/**
 * Spend budgets: the worst case (estimated input + max output, priced at the dearest target the route
 * may reach) is reserved atomically before the call, so concurrent requests can never overspend
 * together; the reservation is settled with the real cost after the call, or released when the call
 * failed without usage. Runs after the cache, so a cache hit (which costs nothing) needs no budget.
 */

import type { KeyLimits } from '../../config/types.js';
import { estimateRequestTokens } from '../../core/estimate-tokens.js';
import type { Usage } from '../../core/usage.js';
import type { BudgetGuard } from '../limits/budget-guard.js';
import type { PriceTable } from '../pricing/price-table.js';
import type { RequestContext, Stage, StageRun } from '../stage.js';
import { DEFAULT_MAX_OUTPUT_ESTIMATE } from './rate-limit-stage.js';

export function budgetStage(guard: BudgetGuard, prices: PriceTable): Stage {
  return {
    name: 'budget',
    begin(context) {
      const budget = context.identity.limits?.budget;
      return budget ? reserve(context, budget) : undefined;
    },
  };

  async function reserve(
    context: RequestContext,
    budget: NonNullable<KeyLimits['budget']>,
  ): Promise<StageRun> {
    const { canonical } = context.decoded;
    const probe: Usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };
    let dearest = context.route.targets[0]?.label ?? canonical.model;
    let dearestCost = -1;
    for (const target of context.route.targets) {
      const cost = prices.costByLabel(target.label, probe) ?? -1;
      if (cost > dearestCost) {
        dearest = target.label;
        dearestCost = cost;
      }
    }
    const hold = await guard.reserve({
      keyName: context.identity.keyName,
      model: dearest,
      budgets: [{ period: budget.period, limitUsd: budget.usd }],
      // The system prompt is already injected, so the estimate sees the final request.
      estimatedInputTokens: estimateRequestTokens(canonical),
      maxOutputTokens: canonical.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_ESTIMATE,
    });
    return {
      end: async (result) => {
        if (!result.usage) {
          await hold.release();
          return;
        }
        const model = result.upstreamModel ?? dearest;
        const cost =
          result.upstreamModel === undefined
            ? prices.costByLabel(dearest, result.usage)
            : prices.cost(model, result.provider, result.usage);
        await hold.settle(cost ?? 0);
      },
    };
  }
}
