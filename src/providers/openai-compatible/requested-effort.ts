/**
 * The reasoning rung a canonical request asks for; an explicit budget (which wins, see canonical-request.ts)
 * is mapped to its nearest rung for hosts that take no budget.
 */
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { Effort } from '../../core/reasoning-effort.js';
import { effortForBudget } from '../../core/reasoning-effort.js';

export function requestedEffort(request: ProviderRequest): Effort | undefined {
  const reasoning = request.reasoning;
  if (!reasoning) return undefined;
  if (reasoning.budgetTokens !== undefined) return effortForBudget(reasoning.budgetTokens);
  return reasoning.effort;
}
