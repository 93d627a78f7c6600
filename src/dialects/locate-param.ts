/**
 * A provider refusing what it cannot translate names a field or place of the canonical request; the client
 * gets it in its own surface's terms (Dialect.locateParam).
 */
import type { GatewayError } from '../core/errors.js';
import { withParam } from '../core/errors.js';
import type { WireDialect } from '../providers/provider-adapter.js';
import { anthropicMessagesDialect } from './anthropic-messages/anthropic-messages-dialect.js';
import type { DecodedRequest, Dialect } from './dialect.js';
import { openAIChatDialect } from './openai-chat/openai-chat-dialect.js';
import { openAIResponsesDialect } from './openai-responses/openai-responses-dialect.js';

const DIALECTS: Record<WireDialect, Pick<Dialect, 'locateParam'>> = {
  'openai-chat': openAIChatDialect,
  'anthropic-messages': anthropicMessagesDialect,
  'openai-responses': openAIResponsesDialect,
};

/**
 * `error` with its param in the client's terms. An upstream's own error (it has an upstream status) names
 * a field of the upstream's wire request and is left as it is.
 */
export function inClientTerms(
  error: GatewayError,
  dialect: WireDialect,
  decoded: DecodedRequest,
): GatewayError {
  if (error.param === undefined || error.upstreamStatus !== undefined) return error;
  const param = DIALECTS[dialect].locateParam(decoded, error.param);
  return param === error.param ? error : withParam(error, param);
}
