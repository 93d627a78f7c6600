/**
 * Canonical finish -> Anthropic `stop_reason` and `stop_sequence`. An Anthropic upstream's own value (carried
 * as `raw`) is kept when it is one Anthropic defines, so stop_sequence and pause_turn survive a translated
 * path; the matched sequence comes with it when the provider named it.
 */
import type { FinishReason } from '../../core/canonical-events.js';

const ANTHROPIC_STOP_REASONS: ReadonlySet<string> = new Set([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
]);

export function toAnthropicStopReason(reason: FinishReason, raw?: string): string {
  if (raw !== undefined && ANTHROPIC_STOP_REASONS.has(raw)) return raw;
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

/** Anthropic's `stop_sequence`: the matched sequence, set only when stop_reason is stop_sequence. */
export function anthropicStopSequence(stopReason: string, stopSequence: string | undefined): string | null {
  return stopReason === 'stop_sequence' && stopSequence !== undefined ? stopSequence : null;
}
