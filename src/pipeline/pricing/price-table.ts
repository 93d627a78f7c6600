/**
 * Prices a request's usage: the first `[[pricing]]` entry whose glob matches the upstream model id (or
 * "provider/model") wins, then the built-in table. Cached and cache-write tokens are subsets of input,
 * reasoning a subset of output (core/usage.ts), each billed at its own rate when the entry has one.
 */
import type { PricingConfig } from '../../config/types.js';
import type { Usage } from '../../core/usage.js';
import { matchGlob } from '../match-glob.js';
import { BUILTIN_PRICES } from './builtin-prices.js';

export class PriceTable {
  private readonly entries: readonly PricingConfig[];
  private readonly memo = new Map<string, PricingConfig | null>();

  constructor(configured: readonly PricingConfig[] = [], includeBuiltin = true) {
    this.entries = includeBuiltin ? [...configured, ...BUILTIN_PRICES] : [...configured];
  }

  /** The price entry for a model, by upstream id and provider name. */
  lookup(model: string, provider?: string): PricingConfig | undefined {
    const memoKey = `${provider ?? ''}\n${model}`;
    const cached = this.memo.get(memoKey);
    if (cached !== undefined) return cached ?? undefined;
    const label = provider === undefined ? undefined : `${provider}/${model}`;
    const found =
      this.entries.find(
        (entry) => matchGlob(entry.model, model) || (label !== undefined && matchGlob(entry.model, label)),
      ) ?? null;
    if (this.memo.size > 10_000) this.memo.clear();
    this.memo.set(memoKey, found);
    return found ?? undefined;
  }

  /** USD for `usage` on a model, or undefined when it has no price. */
  cost(model: string, provider: string | undefined, usage: Usage): number | undefined {
    const entry = this.lookup(model, provider);
    return entry ? costOf(entry, usage) : undefined;
  }

  /** Price by "provider/model" label (the form the budget guard is given). */
  costByLabel(label: string, usage: Usage): number | undefined {
    const slash = label.indexOf('/');
    return slash === -1
      ? this.cost(label, undefined, usage)
      : this.cost(label.slice(slash + 1), label.slice(0, slash), usage);
  }
}

export function costOf(entry: PricingConfig, usage: Usage): number {
  const cached = usage.cachedInputTokens ?? 0;
  const written = usage.cacheWriteTokens ?? 0;
  const plainInput = Math.max(0, usage.inputTokens - cached - written);
  const reasoning = entry.reasoning === undefined ? 0 : (usage.reasoningTokens ?? 0);
  const plainOutput = Math.max(0, usage.outputTokens - reasoning);
  const micro =
    plainInput * entry.input +
    cached * (entry.cachedInput ?? entry.input) +
    written * (entry.cacheWrite ?? entry.input) +
    plainOutput * entry.output +
    reasoning * (entry.reasoning ?? entry.output);
  return micro / 1_000_000;
}

/** The header form: enough digits for fractions of a cent, no float noise. */
export function formatUsd(usd: number): string {
  return usd.toFixed(8).replace(/\.?0+$/, '');
}
