/**
 * The OpenAI Chat Completions surface (`POST /v1/chat/completions`).
 */

import type { DecodedRequest, Dialect } from '../dialect.js';
import { zodToGatewayError } from '../shared/format-zod-error.js';
import { locateParam } from '../shared/locate-canonical-param.js';
import { renderOpenAIError } from './openai-chat-error.js';
import { encodeChatCompletion } from './openai-chat-response.js';
import type { ChatCompletionRequest } from './openai-chat-schema.js';
import { chatCompletionRequest } from './openai-chat-schema.js';
import { createOpenAIChatStreamEncoder } from './openai-chat-stream-encoder.js';
import { findUnmodeledFields, openAIChatToCanonical } from './openai-chat-to-canonical.js';

export const openAIChatDialect: Dialect = {
  name: 'openai-chat',
  decodeRequest(body: unknown): DecodedRequest {
    const parsed = chatCompletionRequest.safeParse(body);
    if (!parsed.success) throw zodToGatewayError(parsed.error);
    return {
      canonical: openAIChatToCanonical(parsed.data),
      body: body as Record<string, unknown>,
      unmodeled: findUnmodeledFields(parsed.data),
      parsed: parsed.data,
    };
  },
  encodeResponse: encodeChatCompletion,
  createStreamEncoder(context, decoded) {
    const options = decoded.body.stream_options as { include_usage?: boolean } | null | undefined;
    return createOpenAIChatStreamEncoder(context, options?.include_usage === true);
  },
  renderError: renderOpenAIError,
  // Canonical field names are Chat Completions' own; only places in the messages need tracing back.
  locateParam: (decoded, param) =>
    locateParam(param, decoded.canonical, (trace) =>
      openAIChatToCanonical(decoded.parsed as ChatCompletionRequest, trace),
    ),
};
