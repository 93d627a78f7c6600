/**
 * An alias's default reasoning on a relayed Messages body (RelayDefaults.reasoning), in the terms the
 * translated path gives it for this Claude model (map-anthropic-thinking.ts): `thinking` with the ladder's
 * budget, or adaptive thinking and `output_config.effort` on models that take only that, or thinking off.
 * With a budget, `max_tokens` is raised above it; with thinking on, `temperature` and `top_k` (and a
 * `top_p` below 0.95) are left out, as Anthropic refuses them then. Only applied when the client said
 * nothing about reasoning (apply-alias-defaults.ts), so its own `thinking` and effort always win.
 */
import type { ReasoningRequest } from '../../core/canonical-request.js';
import { MIN_TOP_P_WITH_THINKING } from './convert-to-anthropic-request.js';
import { mapAnthropicThinking } from './map-anthropic-thinking.js';

export function applyRelayReasoning(
  body: Record<string, unknown>,
  upstreamModel: string,
  reasoning: ReasoningRequest | undefined,
): Record<string, unknown> {
  if (!reasoning) return body;
  const mapped = mapAnthropicThinking(upstreamModel, reasoning);
  const out: Record<string, unknown> = { ...body };
  if (mapped.thinking) out.thinking = mapped.thinking;
  if (mapped.effort !== undefined) {
    const config =
      typeof body.output_config === 'object' && body.output_config !== null ? body.output_config : {};
    out.output_config = { ...config, effort: mapped.effort };
  }
  const budget = mapped.thinking?.type === 'enabled' ? mapped.thinking.budget_tokens : undefined;
  if (budget !== undefined && typeof body.max_tokens === 'number' && body.max_tokens <= budget)
    out.max_tokens = body.max_tokens + budget;
  if (mapped.thinks) {
    delete out.temperature;
    delete out.top_k;
    if (typeof body.top_p === 'number' && body.top_p < MIN_TOP_P_WITH_THINKING) delete out.top_p;
  }
  return out;
}
