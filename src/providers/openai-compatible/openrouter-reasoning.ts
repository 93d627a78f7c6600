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
