/**
 * Anthropic's `output_config.effort` -> the canonical reasoning ladder (src/core/reasoning-effort.ts).
 *
 * | Anthropic | ladder  |
 * |-----------|---------|
 * | low       | low     |
 * | medium    | medium  |
 * | high      | high    |
 * | xhigh     | xhigh   |
 * | max       | xhigh   |  the ladder's top rung; nothing sits above it
 *
 * The ladder's `none` and `minimal` have no Anthropic effort value: thinking `disabled` maps to `none`.
 */
import type { Effort } from '../../core/reasoning-effort.js';
import type { AnthropicEffort } from './anthropic-messages-schema.js';

const LADDER: Record<AnthropicEffort, Effort> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'xhigh',
  max: 'xhigh',
};

export function mapAnthropicEffort(effort: AnthropicEffort): Effort {
  return LADDER[effort];
}
