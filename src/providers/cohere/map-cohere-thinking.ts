/**
 * The reasoning ladder -> Cohere's `thinking` (command-a-reasoning). Cohere takes a token budget, so a rung
 * becomes the shared budget for it; `none` (or a zero budget) turns thinking off.
 */
import type { ReasoningRequest } from '../../core/canonical-request.js';
import { requestedThinkingBudget } from '../../core/reasoning-effort.js';
import type { CohereThinking } from './cohere-wire.js';

export function mapCohereThinking(reasoning: ReasoningRequest | undefined): CohereThinking | undefined {
  const budget = requestedThinkingBudget(reasoning);
  // Adaptive thinking without an effort: thinking on with no budget, which leaves the amount to the model.
  if (budget === undefined) return reasoning?.mode === 'adaptive' ? { type: 'enabled' } : undefined;
  if (budget <= 0) return { type: 'disabled' };
  return { type: 'enabled', token_budget: budget };
}
