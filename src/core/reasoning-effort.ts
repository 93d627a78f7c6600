/**
 * One reasoning ladder that every dialect maps into and every provider maps out of.
 * Explicit provider-native budgets (ReasoningRequest.budgetTokens) win over the ladder.
 */
import type { ReasoningRequest } from './canonical-request.js';

/** `max` is Anthropic's and OpenAI's top value; both also know `xhigh` below it, so it is a rung of its own. */
export const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type Effort = (typeof EFFORTS)[number];

export function isEffort(value: unknown): value is Effort {
  return typeof value === 'string' && (EFFORTS as readonly string[]).includes(value);
}

/**
 * Thinking budget in tokens for providers that take a budget (Anthropic `thinking.budget_tokens`,
 * Gemini 2.5 `thinkingBudget`). `none` means thinking off. Anthropic's minimum budget is 1024. `max` gets
 * the same budget as `xhigh`: a larger one would exceed the output ceiling of several Claude models.
 */
export const THINKING_BUDGET: Record<Effort, number> = {
  none: 0,
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
  max: 32768,
};

/** The nearest rung for a budget, for mapping a budget back onto the ladder. */
export function effortForBudget(budget: number): Effort {
  if (budget <= 0) return 'none';
  let best: Effort = 'minimal';
  for (const effort of EFFORTS) {
    if (effort !== 'none' && effort !== 'max' && THINKING_BUDGET[effort] <= budget) best = effort;
  }
  return best;
}

/**
 * The reasoning an OpenAI-style rung asks for (`reasoning_effort`, Responses `reasoning.effort`): the rung
 * says whether to think (`none` is off) and how hard.
 */
export function reasoningForRung(effort: Effort): ReasoningRequest {
  return effort === 'none' ? { mode: 'disabled' } : { mode: 'enabled', effort };
}

/**
 * The rung for providers that take only a rung (OpenAI `reasoning_effort` and its kin): thinking off is
 * `none`, an explicit budget its nearest rung, else the effort. Undefined when the request asks nothing
 * about reasoning, or asks for adaptive thinking without an effort (the provider's default is closest).
 */
export function ladderEffort(reasoning: ReasoningRequest | undefined): Effort | undefined {
  if (!reasoning) return undefined;
  if (reasoning.mode === 'disabled') return 'none';
  if (reasoning.budgetTokens !== undefined) return effortForBudget(reasoning.budgetTokens);
  return reasoning.effort;
}

/**
 * The thinking budget a request asks for, for providers that take one: thinking off is 0, an explicit
 * budget wins over the ladder. Undefined when the request asks nothing about reasoning, or asks for
 * adaptive thinking without an effort (the provider decides; see its converter).
 */
export function requestedThinkingBudget(reasoning: ReasoningRequest | undefined): number | undefined {
  const effort = ladderEffort(reasoning);
  if (reasoning?.budgetTokens !== undefined && reasoning.mode === 'enabled') return reasoning.budgetTokens;
  return effort === undefined ? undefined : THINKING_BUDGET[effort];
}
