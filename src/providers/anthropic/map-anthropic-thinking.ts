/**
 * Canonical reasoning -> Anthropic's `thinking` and `output_config.effort` (also Claude on Bedrock and
 * Vertex). What an Anthropic client said comes back as it said it: its switch (enabled with its budget,
 * adaptive, disabled, or none at all) and its effort. A rung from an OpenAI-style client becomes a
 * thinking budget from the ladder, or adaptive thinking at that effort on models that take nothing else.
 */
import type { ReasoningRequest } from '../../core/canonical-request.js';
import type { Effort } from '../../core/reasoning-effort.js';
import { THINKING_BUDGET } from '../../core/reasoning-effort.js';
import { claudeNamedVersion } from './anthropic-max-tokens.js';

type Display = { display?: 'summarized' | 'omitted' };

export type AnthropicThinking =
  | ({ type: 'enabled'; budget_tokens: number } & Display)
  | ({ type: 'adaptive' } & Display)
  | { type: 'disabled' };

export type AnthropicOutputEffort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export interface AnthropicReasoning {
  thinking?: AnthropicThinking;
  effort?: AnthropicOutputEffort;
  /** Thinking is on (enabled or adaptive): Anthropic then rejects temperature and top_k. */
  thinks: boolean;
}

/**
 * Claude 4.7 and later, and the Mythos and Fable families, take only adaptive thinking: `enabled` and
 * `disabled` are a 400 there ("thinking.type.enabled is not supported for this model"), and leaving
 * `thinking` out is how thinking stays off.
 */
export function takesOnlyAdaptiveThinking(model: string): boolean {
  if (/claude-(mythos|fable)/i.test(model)) return true;
  const named = claudeNamedVersion(model);
  return named !== undefined && named.version >= 4.7;
}

export function mapAnthropicThinking(
  model: string,
  reasoning: ReasoningRequest | undefined,
): AnthropicReasoning {
  if (!reasoning) return { thinks: false };
  const effort = reasoning.effort === undefined ? undefined : anthropicEffort(reasoning.effort);
  const withEffort = effort === undefined ? {} : { effort };
  const display = reasoning.display === undefined ? {} : { display: reasoning.display };
  switch (reasoning.mode) {
    case 'enabled':
      if (reasoning.budgetTokens !== undefined)
        return {
          thinking: { type: 'enabled', budget_tokens: reasoning.budgetTokens, ...display },
          ...withEffort,
          thinks: true,
        };
      // A rung from an OpenAI-style client. Older models take no output effort, so only the budget says it.
      if (takesOnlyAdaptiveThinking(model))
        return { thinking: { type: 'adaptive' }, ...withEffort, thinks: true };
      return {
        thinking: { type: 'enabled', budget_tokens: THINKING_BUDGET[reasoning.effort ?? 'medium'] },
        thinks: true,
      };
    case 'adaptive':
      return { thinking: { type: 'adaptive', ...display }, ...withEffort, thinks: true };
    case 'disabled':
      if (takesOnlyAdaptiveThinking(model)) return { ...withEffort, thinks: false };
      return { thinking: { type: 'disabled' }, ...withEffort, thinks: false };
    case 'unset':
      return { ...withEffort, thinks: false };
  }
}

/**
 * The ladder's rungs are Anthropic's effort values except at the bottom: `minimal` becomes `low`, the least
 * Anthropic has; `none` has no effort value (thinking off is the switch's job).
 */
function anthropicEffort(effort: Effort): AnthropicOutputEffort | undefined {
  if (effort === 'none') return undefined;
  return effort === 'minimal' ? 'low' : effort;
}
