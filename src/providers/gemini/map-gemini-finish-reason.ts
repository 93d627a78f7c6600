/**
 * Gemini `finishReason` (and `promptFeedback.blockReason`) -> canonical finish reason.
 */
import type { FinishReason } from '../../core/canonical-events.js';

const CONTENT_FILTER = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
  'MODEL_ARMOR',
]);

/** Gemini says STOP after function calls too; the calls are what the client needs to know about. */
export function mapGeminiFinishReason(raw: string | undefined, hasToolCalls: boolean): FinishReason {
  if (raw === 'STOP') return hasToolCalls ? 'tool_calls' : 'stop';
  if (raw === 'MAX_TOKENS') return 'length';
  if (raw !== undefined && CONTENT_FILTER.has(raw)) return 'content_filter';
  return 'other';
}
