/**
 * The OpenAI Responses surface (`POST /v1/responses`).
 *
 * decodeRequest never needs the response store: `previous_response_id`, `conversation` and item
 * references are the HTTP route's job (load the stored items, then rebuild with withHistory()).
 */
import type { CanonicalRequest } from '../../core/canonical-request.js';
import type { CanonicalResponse } from '../../core/collect-response.js';
import type { DecodedRequest, Dialect, EncodeContext } from '../dialect.js';
import { zodToGatewayError } from '../shared/format-zod-error.js';
import { locateParam } from '../shared/locate-canonical-param.js';
import type { BuiltInTool } from './openai-responses-built-in-tools.js';
import { findBuiltInTools } from './openai-responses-built-in-tools.js';
import { renderResponsesError } from './openai-responses-error.js';
import type { ResponsesEncodeContext } from './openai-responses-response.js';
import { builderOptions, encodeResponsesResponse } from './openai-responses-response.js';
import type { ResponseObject } from './openai-responses-response-object.js';
import type { ResponsesInputItem, ResponsesRequest } from './openai-responses-schema.js';
import { responsesRequest } from './openai-responses-schema.js';
import type { ResponsesStreamEncoder } from './openai-responses-stream-encoder.js';
import { createOpenAIResponsesStreamEncoder } from './openai-responses-stream-encoder.js';
import type { ItemPath } from './openai-responses-to-canonical.js';
import { inputItemsOf, openAIResponsesToCanonical } from './openai-responses-to-canonical.js';
import { findUnmodeledFields, findUnmodeledItems } from './openai-responses-unmodeled.js';

export interface DecodedResponsesRequest extends DecodedRequest {
  /** The validated create body. */
  request: ResponsesRequest;
  /** This request's `input` as items (a string input is one user message). */
  inputItems: ResponsesInputItem[];
  /** Hosted tools (web_search, mcp, ...): see assertBuiltInToolsSupported(). Also listed in `unmodeled`. */
  builtInTools: BuiltInTool[];
}

export function decodeResponsesRequest(body: unknown): DecodedResponsesRequest {
  const parsed = responsesRequest.safeParse(body);
  if (!parsed.success) throw zodToGatewayError(parsed.error);
  const request = parsed.data;
  const inputItems = inputItemsOf(request);
  return {
    canonical: openAIResponsesToCanonical(request, inputItems),
    body: body as Record<string, unknown>,
    unmodeled: findUnmodeledFields(request, inputItems),
    request,
    inputItems,
    builtInTools: findBuiltInTools(request.tools),
  };
}

/**
 * The decoded request continued from stored history: `history` (earlier turns' input and output items,
 * item references already resolved) goes before this request's input. Instructions are this request's
 * only (the spec: they do not carry over). Unmodeled history items are reported as `history[i] ...`.
 */
export function withHistory(
  decoded: DecodedResponsesRequest,
  history: readonly ResponsesInputItem[],
): DecodedResponsesRequest {
  const items = [...history, ...decoded.inputItems];
  const pathOf: ItemPath = (index) =>
    index < history.length ? `history[${index}]` : `input[${index - history.length}]`;
  const canonical: CanonicalRequest = openAIResponsesToCanonical(decoded.request, items, pathOf);
  const ownUnmodeled = decoded.unmodeled;
  return {
    ...decoded,
    canonical,
    unmodeled: [...findUnmodeledItems(history, (index) => `history[${index}]`), ...ownUnmodeled],
  };
}

/** The parsed request behind a DecodedRequest (re-validated when it did not come from this dialect). */
export function responsesRequestOf(decoded: DecodedRequest): ResponsesRequest | undefined {
  const own = (decoded as Partial<DecodedResponsesRequest>).request;
  if (own) return own;
  const parsed = responsesRequest.safeParse(decoded.body);
  return parsed.success ? parsed.data : undefined;
}

/** The Dialect, with the Responses-specific decoded request and stream encoder in its types. */
export interface ResponsesDialect extends Dialect {
  decodeRequest(body: unknown): DecodedResponsesRequest;
  /** `context` may be a ResponsesEncodeContext (request echo, pre-assigned id). */
  encodeResponse(response: CanonicalResponse, context: EncodeContext): ResponseObject;
  createStreamEncoder(context: EncodeContext, decoded: DecodedRequest): ResponsesStreamEncoder;
}

/** Canonical fields (named as Chat Completions names them) this surface spells otherwise. */
const RENAMES: Readonly<Record<string, string>> = {
  messages: 'input',
  response_format: 'text.format',
  reasoning_effort: 'reasoning.effort',
};

export const openAIResponsesDialect: ResponsesDialect = {
  name: 'openai-responses',
  decodeRequest: decodeResponsesRequest,
  encodeResponse: (response, context: ResponsesEncodeContext) => encodeResponsesResponse(response, context),
  createStreamEncoder(context: ResponsesEncodeContext, decoded) {
    const request = context.request ?? responsesRequestOf(decoded);
    return createOpenAIResponsesStreamEncoder(
      builderOptions({ ...context, ...(request ? { request } : {}) }),
    );
  },
  renderError: renderResponsesError,
  // This request's own items (references resolved); stored history is not the client's to name.
  locateParam: (decoded, param) => {
    const own = decoded as Partial<DecodedResponsesRequest>;
    const { request, inputItems } = own;
    return locateParam(
      param,
      decoded.canonical,
      (trace) =>
        request && inputItems ? openAIResponsesToCanonical(request, inputItems, undefined, trace) : undefined,
      RENAMES,
    );
  },
};
