/**
 * xAI reasoning models (https://docs.x.ai/docs/guides/reasoning): "presencePenalty, frequencyPenalty and
 * stop parameters are not supported by reasoning models. Adding them in the request would result in an
 * error." `reasoning_effort` is accepted only by grok-3-mini, with the values low | high; grok-3, grok-4 and
 * its variants answer an error. Every Grok 4 and grok-code model reasons, except the `-non-reasoning` ones.
 */
import type { ProviderRequest } from '../../core/canonical-request.js';
import { requestedEffort } from './requested-effort.js';

export function isXaiReasoningModel(model: string): boolean {
  if (model.includes('non-reasoning')) return false;
  return /^grok-(3-mini|4|code)/.test(model);
}

export function xaiTakesReasoningEffort(model: string): boolean {
  return model.startsWith('grok-3-mini');
}

/** Canonical path: grok-3-mini's two rungs. */
export function adaptXaiReasoning(body: Record<string, unknown>, request: ProviderRequest): void {
  const effort = requestedEffort(request);
  if (effort === undefined || !xaiTakesReasoningEffort(request.upstreamModel)) return;
  body.reasoning_effort = ['medium', 'high', 'xhigh', 'max'].includes(effort) ? 'high' : 'low';
}
