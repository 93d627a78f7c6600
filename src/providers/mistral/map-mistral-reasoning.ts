/**
 * The reasoning ladder -> Mistral's two reasoning switches. Magistral models always reason; asking them
 * for reasoning sets `prompt_mode: "reasoning"` (Mistral's reasoning system prompt), and they cannot turn
 * it off. Models with adjustable reasoning (mistral-small-latest, mistral-medium-3.5, ...) take
 * `reasoning_effort`, which only knows "high" and "none".
 * https://docs.mistral.ai/capabilities/reasoning/adjustable
 */
import type { ReasoningRequest } from '../../core/canonical-request.js';
import { ladderEffort } from '../../core/reasoning-effort.js';

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
  const effort = ladderEffort(reasoning);
  // Adaptive thinking without an effort still asks for reasoning; Mistral has no "model decides" switch.
  if (effort === undefined && reasoning.mode !== 'adaptive') return {};
  const enabled = effort !== 'none';
  if (isMagistral(model)) return enabled ? { prompt_mode: 'reasoning' } : {};
  return { reasoning_effort: enabled ? 'high' : 'none' };
}
