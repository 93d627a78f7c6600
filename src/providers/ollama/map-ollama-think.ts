/**
 * The reasoning ladder -> Ollama's `think`. Most thinking models (qwen3, deepseek-r1, ...) take a boolean;
 * gpt-oss takes a level ("low" | "medium" | "high"), ignores booleans and cannot turn thinking off, so
 * `none` asks it for the least there is. Levels are only sent to gpt-oss: other models take booleans.
 * https://github.com/ollama/ollama/blob/main/docs/capabilities/thinking.mdx
 */
import type { ReasoningRequest } from '../../core/canonical-request.js';
import type { Effort } from '../../core/reasoning-effort.js';
import { ladderEffort } from '../../core/reasoning-effort.js';
import type { OllamaThink } from './ollama-wire.js';

export function takesThinkLevels(model: string): boolean {
  return /(^|\/)gpt-oss/.test(model);
}

export function mapOllamaThink(
  model: string,
  reasoning: ReasoningRequest | undefined,
): OllamaThink | undefined {
  if (!reasoning) return undefined;
  const effort: Effort | undefined = ladderEffort(reasoning);
  // Adaptive thinking without an effort: thinking on for boolean models, gpt-oss's own default level.
  if (effort === undefined)
    return reasoning.mode === 'adaptive' && !takesThinkLevels(model) ? true : undefined;
  if (!takesThinkLevels(model)) return effort !== 'none';
  if (effort === 'none' || effort === 'minimal' || effort === 'low') return 'low';
  if (effort === 'medium') return 'medium';
  return 'high';
}
