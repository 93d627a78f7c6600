/**
 * Load-balancing strategies. Each returns the alias's targets in the order to try them: the chosen one
 * first, then the rest as fallbacks, so every strategy also fails over along the list. Targets whose
 * circuit is open go last (tried only when everything else has failed), never dropped.
 */
import type { TargetHealth } from './target-health.js';

export const STRATEGIES = ['fallback', 'weighted', 'round-robin', 'least-latency', 'least-busy'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface WeightedTarget<T> {
  target: T;
  weight: number;
  health: TargetHealth;
}

export interface OrderState {
  /** Round-robin cursor for this alias. */
  cursor: number;
}

export function orderTargets<T>(
  strategy: Strategy,
  targets: ReadonlyArray<WeightedTarget<T>>,
  state: OrderState,
  random: () => number = Math.random,
): Array<WeightedTarget<T>> {
  const available = targets.filter((t) => t.health.breaker.isAvailable());
  const unavailable = targets.filter((t) => !t.health.breaker.isAvailable());
  return [...orderAvailable(strategy, available, state, random), ...unavailable];
}

function orderAvailable<T>(
  strategy: Strategy,
  targets: Array<WeightedTarget<T>>,
  state: OrderState,
  random: () => number,
): Array<WeightedTarget<T>> {
  if (targets.length <= 1) return targets;
  switch (strategy) {
    case 'fallback':
      return targets;
    case 'round-robin': {
      const start = state.cursor % targets.length;
      state.cursor = (state.cursor + 1) % Number.MAX_SAFE_INTEGER;
      return [...targets.slice(start), ...targets.slice(0, start)];
    }
    case 'weighted':
      return weightedOrder(targets, random);
    case 'least-latency':
      // Unmeasured targets sort first so each gets measured once.
      return stableSort(targets, (t) => t.health.ewmaTtfbMs ?? -1);
    case 'least-busy':
      return stableSort(targets, (t) => t.health.inFlight);
  }
}

/** Weighted random without replacement: the first pick follows the weights, the rest follow too. */
function weightedOrder<T>(targets: Array<WeightedTarget<T>>, random: () => number): Array<WeightedTarget<T>> {
  const pool = [...targets];
  const out: Array<WeightedTarget<T>> = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, t) => sum + t.weight, 0);
    let pick = random() * total;
    let index = pool.findIndex((t) => {
      pick -= t.weight;
      return pick < 0;
    });
    if (index < 0) index = pool.length - 1;
    out.push(pool.splice(index, 1)[0]!);
  }
  return out;
}

function stableSort<T>(items: T[], key: (item: T) => number): T[] {
  return items
    .map((item, index) => ({ item, index, key: key(item) }))
    .sort((a, b) => a.key - b.key || a.index - b.index)
    .map((entry) => entry.item);
}
