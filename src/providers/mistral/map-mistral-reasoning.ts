/**
 * The reasoning ladder -> Mistral's two reasoning switches. Magistral models always reason; asking them
 * for reasoning sets `prompt_mode: "reasoning"` (Mistral's reasoning system prompt), and they cannot turn
 * it off. Models with adjustable reasoning (mistral-small-latest, mistral-medium-3.5, ...) take
 * `reasoning_effort`, which only knows "high" and "none".
 * https://docs.mistral.ai/capabilities/reasoning/adjustable
 */
import type { ReasoningRequest } from '../../core/canonical-request.js';

export interface MistralReasoningFields {
  prompt_mode?: 'reasoning';
  reasoning_effort?: 'high' | 'none';
}

export function isMagistral(model: string): boolean {
  return /(^|\/)magistral/.test(model);
}

export function mapMistralReasoning(
  model: string,
  reasoning: ReasoningRequest | undefined,
): MistralReasoningFields {
  if (!reasoning) return {};
  let enabled: boolean;
  if (reasoning.budgetTokens !== undefined) enabled = reasoning.budgetTokens > 0;
  else if (reasoning.effort !== undefined) enabled = reasoning.effort !== 'none';
  else return {};
  if (isMagistral(model)) return enabled ? { prompt_mode: 'reasoning' } : {};
  return { reasoning_effort: enabled ? 'high' : 'none' };
}
