/**
 * Maps the canonical reasoning request onto Gemini's `thinkingConfig`, which differs by model generation:
 * Gemini 3 takes a `thinkingLevel`, Gemini 2.5 a `thinkingBudget`, and older models reject the field.
 */
import type { ReasoningRequest } from '../../core/canonical-request.js';
import type { Effort } from '../../core/reasoning-effort.js';
import { ladderEffort, THINKING_BUDGET } from '../../core/reasoning-effort.js';

export type GeminiThinkingLevel = 'minimal' | 'low' | 'medium' | 'high';

export interface GeminiThinkingConfig {
  thinkingBudget?: number;
  thinkingLevel?: GeminiThinkingLevel;
  includeThoughts?: boolean;
}

/** The model's version as a number (2.5, 3, 3.1), or undefined for aliases like `gemini-flash-latest`. */
export function geminiVersion(model: string): number | undefined {
  const match = /gemini-(\d+)(?:\.(\d+))?/.exec(model);
  if (!match) return undefined;
  return Number(`${match[1]}.${match[2] ?? '0'}`);
}

export function isGemini3OrLater(model: string): boolean {
  return (geminiVersion(model) ?? 0) >= 3;
}

// 2.5 Pro cannot turn thinking off (minimum 128); Flash tops out lower than Pro.
const PRO_MIN_BUDGET = 128;
const PRO_MAX_BUDGET = 32768;
const FLASH_MAX_BUDGET = 24576;

export function mapGeminiThinkingConfig(
  model: string,
  reasoning: ReasoningRequest | undefined,
): GeminiThinkingConfig | undefined {
  const config = thinkingConfig(model, reasoning);
  // A client that asked for thinking without its text (Anthropic `display: omitted`) gets no thought summaries.
  if (config && reasoning?.display === 'omitted') config.includeThoughts = false;
  return config;
}

function thinkingConfig(
  model: string,
  reasoning: ReasoningRequest | undefined,
): GeminiThinkingConfig | undefined {
  if (!reasoning) return undefined;
  const version = geminiVersion(model);
  // Before 2.5 there is no thinking, and sending thinkingConfig is a 400.
  if (version !== undefined && version < 2.5) return undefined;
  const isPro = /-pro\b/.test(model);

  if (reasoning.mode === 'enabled' && reasoning.budgetTokens !== undefined) {
    // An explicit budget is passed through (Gemini 3 still accepts thinkingBudget; -1 means dynamic); only
    // 2.5 Pro's floor is applied, since it cannot turn thinking off.
    const requested = reasoning.budgetTokens;
    const floor = isPro && version === 2.5 ? PRO_MIN_BUDGET : 0;
    const budget = requested < 0 ? -1 : Math.max(requested, floor);
    return { thinkingBudget: budget, includeThoughts: requested !== 0 };
  }

  const effort = ladderEffort(reasoning);
  if (effort === undefined) {
    // Adaptive thinking without an effort is Gemini's dynamic thinking: budget -1 on 2.5, and Gemini 3's
    // default level, which already thinks as much as the prompt needs.
    if (reasoning.mode !== 'adaptive') return undefined;
    if (version !== undefined && version >= 3) return { includeThoughts: true };
    return { thinkingBudget: -1, includeThoughts: true };
  }
  if (version !== undefined && version >= 3) {
    return { thinkingLevel: gemini3Level(effort, isPro), includeThoughts: effort !== 'none' };
  }
  const budget = clampBudget(THINKING_BUDGET[effort], isPro);
  return { thinkingBudget: budget, includeThoughts: effort !== 'none' };
}

/**
 * Gemini 3 Pro only knows `low` and `high`; Flash adds `minimal` and `medium`. Neither can switch thinking
 * off, so `none` asks for the least there is.
 */
function gemini3Level(effort: Effort, isPro: boolean): GeminiThinkingLevel {
  if (isPro) return effort === 'none' || effort === 'minimal' || effort === 'low' ? 'low' : 'high';
  switch (effort) {
    case 'none':
    case 'minimal':
      return 'minimal';
    case 'low':
      return 'low';
    case 'medium':
      return 'medium';
    default:
      return 'high';
  }
}

function clampBudget(budget: number, isPro: boolean): number {
  if (isPro) return Math.min(Math.max(budget, PRO_MIN_BUDGET), PRO_MAX_BUDGET);
  return Math.min(Math.max(budget, 0), FLASH_MAX_BUDGET);
}
