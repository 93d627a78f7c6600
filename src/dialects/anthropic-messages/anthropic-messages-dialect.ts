/**
 * The Anthropic Messages surface (`POST /v1/messages`).
 */

import type { DecodedRequest, Dialect } from '../dialect.js';
import { zodToGatewayError } from '../shared/format-zod-error.js';
import { locateParam } from '../shared/locate-canonical-param.js';
import { renderAnthropicError } from './anthropic-messages-error.js';
import { encodeAnthropicMessage } from './anthropic-messages-response.js';
import type { MessagesRequest } from './anthropic-messages-schema.js';
import { messagesRequest } from './anthropic-messages-schema.js';
import { createAnthropicMessagesStreamEncoder } from './anthropic-messages-stream-encoder.js';
import { anthropicMessagesToCanonical } from './anthropic-messages-to-canonical.js';
import { findUnmodeledFields } from './anthropic-messages-unmodeled.js';
import { prepareAnthropicPassthrough } from './prepare-anthropic-passthrough.js';

/** Canonical fields (named as Chat Completions names them) this surface spells otherwise. */
const RENAMES: Readonly<Record<string, string>> = {
  stop: 'stop_sequences',
  response_format: 'output_config.format',
};

export const anthropicMessagesDialect: Dialect = {
  name: 'anthropic-messages',
  decodeRequest(body: unknown): DecodedRequest {
    const parsed = messagesRequest.safeParse(body);
    if (!parsed.success) throw zodToGatewayError(parsed.error);
    return {
      canonical: anthropicMessagesToCanonical(parsed.data),
      // The relay body leaves out thinking blocks Claude would refuse, as the translated path does.
      body: prepareAnthropicPassthrough(body as Record<string, unknown>),
      unmodeled: findUnmodeledFields(parsed.data),
      parsed: parsed.data,
    };
  },
  encodeResponse: encodeAnthropicMessage,
  createStreamEncoder: (context) => createAnthropicMessagesStreamEncoder(context),
  renderError: renderAnthropicError,
  locateParam: (decoded, param) =>
    locateParam(
      param,
      decoded.canonical,
      (trace) => anthropicMessagesToCanonical(decoded.parsed as MessagesRequest, trace),
      { ...RENAMES, ...reasoningRename(decoded.parsed as MessagesRequest | undefined) },
    ),
};

/**
 * The canonical reasoning (named `reasoning_effort`, as OpenAI spells it) is what the client switched with
 * `thinking`, or set with `output_config.effort` alone; with neither, an alias default set it and keeps
 * its own name.
 */
function reasoningRename(parsed: MessagesRequest | undefined): Record<string, string> {
  if (parsed?.thinking != null) return { reasoning_effort: 'thinking' };
  if (parsed?.output_config?.effort != null) return { reasoning_effort: 'output_config.effort' };
  return {};
}
