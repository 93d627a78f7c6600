/**
 * Ollama `done_reason` -> canonical finish reason. Ollama answers a tool call with "stop", and older
 * servers send no done_reason at all; the calls the stream held decide.
 */
import type { FinishReason } from '../../core/canonical-events.js';

export function mapOllamaDoneReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case undefined:
    case 'stop':
      return hasToolCalls ? 'tool_calls' : 'stop';
    case 'length':
      return 'length';
    default:
      // "load" / "unload" (an empty request), or something new.
      return 'other';
  }
}
