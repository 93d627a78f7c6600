/**
 * Maps Bedrock Converse's `stopReason` onto the canonical finish reason. The raw value travels alongside in
 * the `finish` event, so nothing is lost for logs.
 */
import type { FinishReason } from '../../core/canonical-events.js';

export function mapBedrockStopReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    // The context window ran out while generating: to a client the same truncation as max_tokens.
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'content_filtered':
    case 'guardrail_intervened':
      return 'content_filter';
    default:
      return 'other';
  }
}
