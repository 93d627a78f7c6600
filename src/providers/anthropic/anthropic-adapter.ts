/**
 * The Anthropic Messages provider: canonical request → POST {baseUrl}/v1/messages (always streamed) →
 * canonical events.
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { GatewayError } from '../../core/errors.js';
import type {
  CallContext,
  ProviderAdapter,
  ProviderConfig,
  RelayCapable,
  RelayDefaults,
  RelayedResponse,
  TokenCounting,
  WireDialect,
} from '../provider-adapter.js';
import type { Warned } from '../shared/collect-warnings.js';
import { collectWarnings, tellWarnings } from '../shared/collect-warnings.js';
import { postUpstream } from '../shared/post-upstream.js';
import { relayResponse } from '../shared/relay-response.js';
import { parseSse } from '../shared/sse.js';
import { streamBreakError } from '../shared/stream-break-error.js';
import { upstreamError } from '../shared/upstream-error.js';
import { createUpstreamAgent } from '../shared/upstream-http.js';
import { upstreamStream } from '../shared/upstream-stream.js';
import type { UsageTap } from '../shared/usage-tap.js';
import { parseAnthropicError } from './anthropic-error.js';
import { decodeAnthropicStream } from './anthropic-stream-decoder.js';
import { createAnthropicUsageTap } from './anthropic-usage-tap.js';
import { applyRelayReasoning } from './apply-relay-reasoning.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';
import { fitRelayedThinkingToToolLoop } from './fit-thinking-to-tool-loop.js';

export const ANTHROPIC_VERSION = '2023-06-01';

/** Upstream response headers a relayed client still gets: the body type and Anthropic's request id. */
const RELAYED_HEADERS = ['content-type', 'request-id'];

export function createAnthropicAdapter(
  config: ProviderConfig,
): ProviderAdapter<Warned<string>> & RelayCapable & TokenCounting {
  const agent = createUpstreamAgent(config.maxConnections, config.http2 === true);
  // Like the Anthropic SDK, base_url is the origin without /v1.
  const origin = config.baseUrl.replace(/\/+$/, '');

  function post(path: string, body: string, context: CallContext, accept: string) {
    return postUpstream(agent, `${origin}${path}`, {
      config,
      context,
      headers: { ...anthropicHeaders(config, context), accept },
      body,
      refusal: (response) => upstreamError(config.name, response, parseAnthropicError),
    });
  }

  /**
   * Same-dialect fast path: the client's Messages body with only `model` replaced, so fields Junction does
   * not model (new betas, server tools, containers) reach Anthropic, and its bytes come back untouched. An
   * alias's default reasoning is written for this model (apply-relay-reasoning.ts).
   */
  async function relay(
    dialect: WireDialect,
    body: Record<string, unknown>,
    upstreamModel: string,
    context: CallContext,
    defaults?: RelayDefaults,
  ): Promise<RelayedResponse> {
    if (dialect !== 'anthropic-messages')
      throw new GatewayError('internal', `Provider ${config.name} cannot relay ${dialect}`);
    const isStream = body.stream === true;
    const sent = fitRelayedThinkingToToolLoop(
      applyRelayReasoning(body, upstreamModel, defaults?.reasoning),
      context.warn,
    );
    const response = await post(
      '/v1/messages',
      JSON.stringify({ ...sent, model: upstreamModel }),
      context,
      isStream ? 'text/event-stream' : 'application/json',
    );
    // Given the provider, the tap finds in-band error events, so a stream overloaded mid-way fails over
    // (before content) or fails the request (after it) instead of counting as a success.
    const createTap = (stream: boolean): UsageTap => createAnthropicUsageTap(stream, config.name);
    return relayResponse(response, RELAYED_HEADERS, createTap, isStream, config.name);
  }

  /** Anthropic's own count: exact, unlike the estimate other providers get. */
  async function countTokens(
    _dialect: WireDialect,
    body: Record<string, unknown>,
    upstreamModel: string,
    context: CallContext,
  ): Promise<number> {
    const response = await post(
      '/v1/messages/count_tokens',
      JSON.stringify({ ...fitRelayedThinkingToToolLoop(body), model: upstreamModel }),
      context,
      'application/json',
    );
    const parsed = (await response.body.json()) as { input_tokens?: unknown };
    if (typeof parsed.input_tokens !== 'number') {
      throw new GatewayError('transient', `${config.name}: count_tokens answered without input_tokens`, {
        provider: config.name,
      });
    }
    return parsed.input_tokens;
  }

  /**
   * The JSON body sent; what Claude cannot take (seed, penalties, blank stop sequences) is thrown here, and
   * what the conversion changed (thinking off for another model's tool loop) is told to each attempt.
   */
  function prepare(request: ProviderRequest): Warned<string> {
    return collectWarnings((warn) => JSON.stringify(convertToAnthropicRequest(request, config.name, warn)));
  }

  function stream(
    request: ProviderRequest,
    context: CallContext,
    prepared?: Warned<string>,
  ): AsyncIterable<CanonicalEvent> {
    return upstreamStream({
      open: () => {
        const { body, warnings } = prepared ?? prepare(request);
        tellWarnings(warnings, context.warn);
        return post('/v1/messages', body, context, 'text/event-stream');
      },
      decode: (response) => decodeAnthropicStream(parseSse(response.body), { provider: config.name }),
      bodyError: (error) => streamBreakError(error, config.name, context.cancel),
    });
  }

  return {
    name: config.name,
    type: config.type,
    capabilities: {
      stream: true,
      tools: true,
      vision: true,
      documents: true,
      reasoning: true,
      jsonSchema: true,
      assistantPrefill: true,
    },
    prepare,
    stream,
    relayDialects: ['anthropic-messages'],
    relay,
    countTokens,
  };
}

/**
 * Upstream headers. The client's `anthropic-version` wins over ours, and its `anthropic-beta` flags are
 * merged with any the operator configured, so beta features a client opts into keep working.
 */
export function anthropicHeaders(config: ProviderConfig, context: CallContext): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'text/event-stream',
    'anthropic-version': context.clientHeaders['anthropic-version'] ?? ANTHROPIC_VERSION,
  };
  const apiKey = context.apiKey ?? config.apiKeys[0];
  if (apiKey !== undefined) headers['x-api-key'] = apiKey;
  for (const [name, value] of Object.entries(config.headers)) headers[name.toLowerCase()] = value;
  const beta = mergeBetaFlags(headers['anthropic-beta'], context.clientHeaders['anthropic-beta']);
  if (beta !== undefined) headers['anthropic-beta'] = beta;
  return headers;
}

/** Joins comma-separated beta flag lists, dropping duplicates and blanks. */
export function mergeBetaFlags(...lists: Array<string | undefined>): string | undefined {
  const flags = new Set<string>();
  for (const list of lists) {
    for (const flag of list?.split(',') ?? []) {
      const trimmed = flag.trim();
      if (trimmed !== '') flags.add(trimmed);
    }
  }
  return flags.size > 0 ? [...flags].join(',') : undefined;
}
