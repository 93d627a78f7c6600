/**
 * One reasoning ladder that every dialect maps into and every provider maps out of.
 * Explicit provider-native budgets (ReasoningRequest.budgetTokens) win over the ladder.
 */
export const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type Effort = (typeof EFFORTS)[number];

export function isEffort(value: unknown): value is Effort {
  return typeof value === 'string' && (EFFORTS as readonly string[]).includes(value);
}

/**
 * Thinking budget in tokens for providers that take a budget (Anthropic `thinking.budget_tokens`,
 * Gemini 2.5 `thinkingBudget`). `none` means thinking off. Anthropic's minimum budget is 1024.
 */
export const THINKING_BUDGET: Record<Effort, number> = {
  none: 0,
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
};

/** The nearest rung for a budget, for mapping a budget back onto the ladder. */
export function effortForBudget(budget: number): Effort {
  if (budget <= 0) return 'none';
  let best: Effort = 'minimal';
  for (const effort of EFFORTS) {
    if (effort !== 'none' && THINKING_BUDGET[effort] <= budget) best = effort;
  }
  return best;
}

/**
 * The thinking budget a request asks for, for providers that take one: an explicit budget wins over the
 * ladder. Undefined when the request asks nothing about reasoning; 0 means thinking off.
 */
export function requestedThinkingBudget(
  reasoning: { effort?: Effort; budgetTokens?: number } | undefined,
): number | undefined {
  if (!reasoning) return undefined;
  return (
    reasoning.budgetTokens ?? (reasoning.effort === undefined ? undefined : THINKING_BUDGET[reasoning.effort])
  );
}

/** The budget to enable thinking with, or undefined when thinking stays off. */
export function enabledThinkingBudget(
  reasoning: { effort?: Effort; budgetTokens?: number } | undefined,
): number | undefined {
  const budget = requestedThinkingBudget(reasoning);
  return budget !== undefined && budget > 0 ? budget : undefined;
}
