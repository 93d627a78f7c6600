/**
 * Cohere `finish_reason` -> canonical finish reason. ERROR and TIMEOUT end a stream that Cohere itself
 * reports as failed; they map to `other` (the text so far is kept and `raw` says what happened).
 */
import type { FinishReason } from '../../core/canonical-events.js';

export function mapCohereFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'COMPLETE':
    case 'STOP_SEQUENCE':
      return hasToolCalls ? 'tool_calls' : 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'TOOL_CALL':
      return 'tool_calls';
    // v1-era names some deployments still send.
    case 'ERROR_TOXIC':
      return 'content_filter';
    case 'ERROR_LIMIT':
      return 'length';
    default:
      return 'other';
  }
}
