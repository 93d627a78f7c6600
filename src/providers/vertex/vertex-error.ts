/**
 * Errors from Vertex's Anthropic publisher come in two shapes: Anthropic's own body when the model
 * refuses (`{type:'error', error:{type, message}}`), Google's RPC status when Vertex does (quota,
 * permissions, unknown model: `{error:{code, message, status}}`). Gemini models answer Google's shape
 * only and use the gemini adapter's reader.
 */
import { parseAnthropicError } from '../anthropic/anthropic-error.js';
import { parseGeminiError } from '../gemini/gemini-error.js';
import type { ParsedUpstreamError } from '../shared/upstream-error.js';

export function parseVertexAnthropicError(body: unknown): ParsedUpstreamError {
  const anthropic = parseAnthropicError(body);
  // Anthropic's body names its error type; Google's has a numeric code and a status string instead.
  if (anthropic.code !== undefined) return anthropic;
  const google = parseGeminiError(body);
  return google.message !== undefined || google.failureClass !== undefined ? google : anthropic;
}
