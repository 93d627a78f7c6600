/**
 * Anthropic's `output_config.effort` -> the canonical reasoning ladder (src/core/reasoning-effort.ts).
 *
 * | Anthropic | ladder  |
 * |-----------|---------|
 * | low       | low     |
 * | medium    | medium  |
 * | high      | high    |
 * | xhigh     | xhigh   |
 * | max       | max     |
 *
 * The ladder's `none` and `minimal` have no Anthropic effort value: thinking off is `thinking.type`'s job.
 */
import type { Effort } from '../../core/reasoning-effort.js';
import type { AnthropicEffort } from './anthropic-messages-schema.js';

const LADDER: Record<AnthropicEffort, Effort> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'xhigh',
  max: 'max',
};

export function mapAnthropicEffort(effort: AnthropicEffort): Effort {
  return LADDER[effort];
}
