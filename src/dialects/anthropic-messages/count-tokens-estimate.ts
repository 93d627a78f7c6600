/**
 * An ESTIMATE of the input tokens of a request, for `POST /v1/messages/count_tokens` when the target is not
 * Anthropic (Anthropic upstreams count exactly). Text is costed by src/core/estimate-tokens.ts (4
 * characters a token); the constants below add what Anthropic bills beside the text. Calibrated against
 * the recorded cassettes to within a few tokens for text and tool requests; images and documents are
 * costed flat because their real cost depends on pixel size and page count, which are not parsed here.
 */
import type { CanonicalRequest } from '../../core/canonical-request.js';
import { estimateRequestTokens, estimateTextTokens } from '../../core/estimate-tokens.js';

/** Framing of the request itself. */
export const REQUEST_OVERHEAD_TOKENS = 7;
/** Role markers around each message. */
export const MESSAGE_OVERHEAD_TOKENS = 3;
/** The tool-use system prompt Anthropic adds when tools are present (documented: 346 for auto/none). */
export const TOOL_SYSTEM_PROMPT_TOKENS = 346;
/** Framing of each tool definition. */
export const TOOL_OVERHEAD_TOKENS = 10;
/** The instructions Anthropic adds for structured outputs, before the schema itself (measured: 150-180). */
export const JSON_SCHEMA_OUTPUT_TOKENS = 150;
/** What turning extended thinking on (with a budget) adds to the prompt (measured: 18-28). */
export const THINKING_TOKENS = 26;
/** An image at Anthropic's usual resize ceiling (~1.15 megapixels, width * height / 750). */
export const IMAGE_TOKENS = 1600;
/** A document of unknown length, costed as one dense page. */
export const DOCUMENT_TOKENS = 1500;

export function estimateInputTokens(request: CanonicalRequest): number {
  let tokens = REQUEST_OVERHEAD_TOKENS + estimateRequestTokens(request);
  for (const message of request.messages) {
    tokens += MESSAGE_OVERHEAD_TOKENS;
    for (const part of message.content) {
      if (part.type === 'image') tokens += IMAGE_TOKENS;
      else if (part.type === 'file') tokens += fileTokens(part.source);
      else if (part.type === 'tool-result') {
        for (const inner of part.content) if (inner.type === 'image') tokens += IMAGE_TOKENS;
      }
    }
  }
  const tools = request.tools ?? [];
  if (tools.length > 0) tokens += TOOL_SYSTEM_PROMPT_TOKENS;
  for (const tool of tools) tokens += TOOL_OVERHEAD_TOKENS + estimateTextTokens(tool.description ?? '');
  const format = request.responseFormat;
  if (format?.type === 'json_schema')
    tokens += JSON_SCHEMA_OUTPUT_TOKENS + estimateTextTokens(JSON.stringify(format.schema));
  // Measured for thinking with a budget only; adaptive thinking's prompt cost is unmeasured, so it adds none.
  if ((request.reasoning?.budgetTokens ?? 0) > 0) tokens += THINKING_TOKENS;
  return tokens;
}

function fileTokens(
  source: { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string },
): number {
  if (source.kind === 'base64' && source.mediaType.startsWith('text/')) {
    return estimateTextTokens(Buffer.from(source.data, 'base64').toString('utf8'));
  }
  return DOCUMENT_TOKENS;
}
