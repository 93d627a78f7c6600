/**
 * Groq reasoning controls (https://console.groq.com/docs/reasoning): `reasoning_effort` is accepted only by
 * the GPT-OSS models (low | medium | high) and Qwen 3 (none | default); Qwen 3 puts its thinking inside
 * `content` as <think> tags unless `reasoning_format: "parsed"` moves it to the `reasoning` field. GPT-OSS
 * returns `reasoning` already (see the gpt-oss cassettes in fixtures/openai-chat/pydantic-ai-groq-*).
 */
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { Effort } from '../../core/reasoning-effort.js';
import { requestedEffort } from './requested-effort.js';

export function isGroqGptOss(model: string): boolean {
  return model.startsWith('openai/gpt-oss');
}

export function isGroqQwen3(model: string): boolean {
  return /(^|\/)qwen3/.test(model);
}

/** Whether Groq takes `reasoning_effort` for this model; elsewhere it answers 400. */
export function groqTakesReasoningEffort(model: string): boolean {
  return isGroqGptOss(model) || isGroqQwen3(model);
}

/** Canonical path: the reasoning fields Groq wants for this model. */
export function adaptGroqReasoning(body: Record<string, unknown>, request: ProviderRequest): void {
  const model = request.upstreamModel;
  const effort = requestedEffort(request);
  if (isGroqQwen3(model)) {
    // Parsed always, so thinking never lands in the answer text.
    body.reasoning_format = 'parsed';
    if (effort !== undefined) body.reasoning_effort = effort === 'none' ? 'none' : 'default';
  } else if (isGroqGptOss(model) && effort !== undefined) {
    body.reasoning_effort = gptOssEffort(effort);
  }
}

/** GPT-OSS knows three rungs; the ladder's ends fold onto them (as vercel/ai's Groq provider does). */
function gptOssEffort(effort: Effort): 'low' | 'medium' | 'high' {
  if (effort === 'medium') return 'medium';
  if (effort === 'high' || effort === 'xhigh' || effort === 'max') return 'high';
  return 'low';
}
