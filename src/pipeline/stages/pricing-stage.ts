/**
 * Pricing: the answer's cost from its usage and the price table. On a non-streamed response it is the
 * `x-junction-cost-usd` header; a stream cannot know its cost before its headers are sent, so there it
 * is an HTTP trailer of the same name (declared in `Trailer:`); either way it is in the usage record.
 * A cache hit costs 0; a model without a price reports "unknown". First in the stage order, so its
 * `end` runs last and sees the final usage.
 */
import type { Usage } from '../../core/usage.js';
import type { PriceTable } from '../pricing/price-table.js';
import { formatUsd } from '../pricing/price-table.js';
import type { RequestContext, Stage } from '../stage.js';

export const COST_HEADER = 'x-junction-cost-usd';

export function pricingStage(prices: PriceTable): Stage {
  return {
    name: 'pricing',
    begin(context) {
      // The header and the end usually price the same usage object: it is priced once.
      let priced: { usage: Usage; cost: number | undefined } | undefined;
      const costOf = (usage: Usage | undefined): number | undefined => {
        if (usage === undefined) return priceOf(prices, context, usage);
        if (priced?.usage !== usage) priced = { usage, cost: priceOf(prices, context, usage) };
        return priced.cost;
      };
      return {
        trailers: [COST_HEADER],
        finalHeaders: (usage) => {
          const cost = costOf(usage);
          return { [COST_HEADER]: cost === undefined ? 'unknown' : formatUsd(cost) };
        },
        end: (result) => {
          const cost = costOf(result.usage);
          if (cost !== undefined) context.record.costUsd = cost;
        },
      };
    },
  };
}

function priceOf(prices: PriceTable, context: RequestContext, usage: Usage | undefined): number | undefined {
  if (context.record.cacheHit) return 0;
  if (!usage) return context.record.upstreamModel === undefined ? 0 : undefined;
  const model = context.record.upstreamModel;
  if (model === undefined) return undefined;
  return prices.cost(model, context.record.provider, usage);
}
