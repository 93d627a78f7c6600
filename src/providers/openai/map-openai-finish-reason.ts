/**
 * Chat Completions `finish_reason` -> canonical finish reason.
 */
import type { FinishReason } from '../../core/canonical-events.js';

export function mapOpenAIFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    // `function_call` is the pre-tools name for the same thing, still sent by some compatible servers.
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'other';
  }
}
