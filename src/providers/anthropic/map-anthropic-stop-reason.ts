/**
 * Maps Anthropic's `stop_reason` onto the canonical finish reason. The raw value travels alongside in the
 * `finish` event, so nothing is lost for logs or for an Anthropic-dialect client.
 */
import type { FinishReason } from '../../core/canonical-events.js';

export function mapAnthropicStopReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    // The context window ran out while generating: to a client this is the same truncation as max_tokens.
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      // pause_turn (a server tool loop paused; the client resends to continue) and anything newer.
      return 'other';
  }
}
