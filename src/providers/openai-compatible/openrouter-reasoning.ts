/**
 * OpenRouter's unified reasoning control (https://openrouter.ai/docs/use-cases/reasoning-tokens) is one
 * `reasoning` object: `{effort}` (xhigh | high | medium | low | minimal | none), `{max_tokens}` for a
 * budget, which OpenRouter passes to budget-taking upstreams (Anthropic, Gemini) as is, or `{enabled: true}`
 * for reasoning at the model's default effort (the closest to adaptive thinking without an effort).
 */
import type { ProviderRequest } from '../../core/canonical-request.js';
import { ladderEffort } from '../../core/reasoning-effort.js';

export function adaptOpenRouterReasoning(body: Record<string, unknown>, request: ProviderRequest): void {
  const reasoning = request.reasoning;
  if (!reasoning) return;
  delete body.reasoning_effort;
  const effort = ladderEffort(reasoning);
  if (reasoning.mode === 'enabled' && reasoning.budgetTokens !== undefined)
    body.reasoning = { max_tokens: reasoning.budgetTokens };
  // OpenRouter's scale tops out at xhigh.
  else if (effort !== undefined) body.reasoning = { effort: effort === 'max' ? 'xhigh' : effort };
  else if (reasoning.mode === 'adaptive') body.reasoning = { enabled: true };
}

/**
 * OpenRouter asks for reasoning to come back on the next turn as `reasoning_details` on the assistant
 * message, signatures included, so that multi-turn tool use with Claude thinking keeps working
 * (https://openrouter.ai/docs/use-cases/reasoning-tokens#preserving-reasoning-blocks). The converter emits
 * one assistant message per canonical assistant message, in order, so the two lists pair up by position.
 */
export function adaptOpenRouterReasoningDetails(
  body: Record<string, unknown>,
  request: ProviderRequest,
): void {
  const canonical = request.messages.filter((message) => message.role === 'assistant');
  const wire =
    (body.messages as Array<Record<string, unknown>> | undefined)?.filter(
      (message) => message.role === 'assistant',
    ) ?? [];
  if (canonical.length !== wire.length) return;
  canonical.forEach((message, index) => {
    const details = message.content.flatMap((part, partIndex): Array<Record<string, unknown>> => {
      if (part.type !== 'reasoning') return [];
      if (part.redactedData !== undefined)
        return [{ type: 'reasoning.encrypted', data: part.redactedData, index: partIndex }];
      if (part.signature === undefined) return [];
      return [{ type: 'reasoning.text', text: part.text, signature: part.signature, index: partIndex }];
    });
    if (details.length > 0) wire[index]!.reasoning_details = details;
  });
}
