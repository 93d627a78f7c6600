/**
 * `POST /v1/messages/count_tokens` takes a Messages body without `max_tokens` (and without `stream`).
 * Decoded like a Messages request so the estimate sees exactly what generation would.
 */
import { z } from 'zod';
import type { DecodedRequest } from '../dialect.js';
import { zodToGatewayError } from '../shared/format-zod-error.js';
import { messagesRequestShape } from './anthropic-messages-schema.js';
import { anthropicMessagesToCanonical } from './anthropic-messages-to-canonical.js';
import { findUnmodeledFields } from './anthropic-messages-unmodeled.js';
import { prepareAnthropicPassthrough } from './prepare-anthropic-passthrough.js';

const countTokensRequest = z.looseObject({
  ...messagesRequestShape,
  max_tokens: z.number().int().positive().optional(),
});

/** A placeholder that satisfies the canonical model; counting never generates. */
const COUNT_ONLY_MAX_TOKENS = 1;

export function decodeCountTokensRequest(body: unknown): DecodedRequest {
  const parsed = countTokensRequest.safeParse(body);
  if (!parsed.success) throw zodToGatewayError(parsed.error);
  const data = { ...parsed.data, max_tokens: parsed.data.max_tokens ?? COUNT_ONLY_MAX_TOKENS };
  const canonical = anthropicMessagesToCanonical(data);
  if (parsed.data.max_tokens === undefined) delete canonical.maxOutputTokens;
  return {
    canonical,
    body: prepareAnthropicPassthrough(body as Record<string, unknown>),
    unmodeled: findUnmodeledFields(data),
  };
}
