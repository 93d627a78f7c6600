/**
 * OpenRouter's unified reasoning control (https://openrouter.ai/docs/use-cases/reasoning-tokens) is one
 * `reasoning` object: `{effort}` (xhigh | high | medium | low | minimal | none) or `{max_tokens}` for a
 * budget, which OpenRouter passes to budget-taking upstreams (Anthropic, Gemini) as is.
 */
import type { ProviderRequest } from '../../core/canonical-request.js';

export function adaptOpenRouterReasoning(body: Record<string, unknown>, request: ProviderRequest): void {
  const reasoning = request.reasoning;
  if (!reasoning) return;
  delete body.reasoning_effort;
  if (reasoning.budgetTokens !== undefined) body.reasoning = { max_tokens: reasoning.budgetTokens };
  else if (reasoning.effort !== undefined) body.reasoning = { effort: reasoning.effort };
}
