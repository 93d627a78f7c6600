/**
 * Provider adapter for OpenAI and any server that speaks Chat Completions (`POST {baseUrl}/chat/completions`).
 * `baseUrl` includes the version path (`https://api.openai.com/v1`), as in the OpenAI SDKs. Servers that
 * speak the same wire at another address or with other auth (Azure) pass their own `OpenAIChatEndpoint`.
 * Hosts that also serve the Responses API (OpenAI itself, Azure) give `responsesUrl`: Responses clients are
 * then relayed to `{base}/responses` byte for byte (the same-dialect fast path), and
 * `POST /v1/responses/input_tokens` is answered exactly by `{base}/responses/input_tokens`.
 */
import { z } from 'zod';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { GatewayError } from '../../core/errors.js';
import type {
  CallContext,
  EmbeddingCapable,
  ProviderAdapter,
  ProviderCapabilities,
  ProviderConfig,
  ProviderLog,
  RelayCapable,
  RelayedResponse,
  TokenCounting,
  WireDialect,
} from '../provider-adapter.js';
import { bearerAuth } from '../shared/bearer-auth.js';
import { postUpstream } from '../shared/post-upstream.js';
import { bodyReadError, relayResponse } from '../shared/relay-response.js';
import { parseJsonData, parseSse } from '../shared/sse.js';
import type { ParsedUpstreamError } from '../shared/upstream-error.js';
import { upstreamError } from '../shared/upstream-error.js';
import type { UpstreamResponse } from '../shared/upstream-http.js';
import { createUpstreamAgent, readText } from '../shared/upstream-http.js';
import { upstreamStream } from '../shared/upstream-stream.js';
import type { UsageTap } from '../shared/usage-tap.js';
import { convertToOpenAIChatRequest } from './convert-to-openai-chat-request.js';
import { dropUsageOnlyChunks } from './drop-usage-chunk.js';
import { decodeOpenAIChatStream } from './openai-chat-stream-decoder.js';
import type { OpenAIChatRequestBody } from './openai-chat-wire.js';
import { openAIEmbeddingsBody, readOpenAIEmbeddings } from './openai-embeddings.js';
import { parseOpenAIError } from './openai-error.js';
import { createOpenAIResponsesUsageTap } from './openai-responses-usage-tap.js';
import { createOpenAIChatUsageTap } from './openai-usage-tap.js';
import { StreamUsageOption } from './stream-usage-option.js';

const CAPABILITIES: ProviderCapabilities = {
  stream: true,
  tools: true,
  vision: true,
  documents: true,
  reasoning: true,
  jsonSchema: true,
};

/** Upstream response headers a relayed client still gets: the body type and the ids needed for support. */
const RELAYED_HEADERS = ['content-type', 'x-request-id', 'openai-processing-ms'];

/** Where Chat Completions requests go and how they authenticate: all that differs between OpenAI-wire hosts. */
export interface OpenAIChatEndpoint {
  /** The Chat Completions URL for one upstream model (Azure names the deployment in the path). */
  url(upstreamModel: string): string;
  /**
   * The Responses API URL (`suffix` is '' or '/input_tokens'); absent for Chat-Completions-only hosts, whose
   * Responses clients take the translated path.
   */
  responsesUrl?: (suffix: string) => string;
  /** Auth headers for one call, from the key the router chose or a configured token. */
  authHeaders(context: CallContext): Record<string, string>;
  /** The embeddings URL for one upstream model; absent for hosts without embeddings. */
  embeddingsUrl?: (upstreamModel: string) => string;
  /** Whether the host takes token-array inputs (default true: forwarded, the host decides per model). */
  embeddingTokens?: boolean;
  /** Embedding request fields the host knows under another name (Mistral: `output_dimension`). */
  embeddingRename?: Readonly<Record<string, string>>;
  /** Upstream response headers a relayed client still gets; OpenAI's by default. */
  relayedHeaders?: readonly string[];
  /** Reads the upstream error body; OpenAI's envelope by default. */
  parseError?: (body: unknown) => ParsedUpstreamError;
  /**
   * Last look at the wire body before it is sent (OpenAI-compatible presets strip what their host refuses).
   * `request` is the canonical request on the translated path and undefined on the relay path.
   */
  prepareBody?: (
    body: Record<string, unknown>,
    context: CallContext,
    request?: ProviderRequest,
  ) => Record<string, unknown>;
}

export function createOpenAIAdapter(config: ProviderConfig, log?: ProviderLog): OpenAIChatAdapter {
  const base = config.baseUrl.replace(/\/+$/, '');
  const url = `${base}/chat/completions`;
  const embeddingsUrl = `${base}/embeddings`;
  return createOpenAIChatAdapter(
    config,
    {
      url: () => url,
      embeddingsUrl: () => embeddingsUrl,
      responsesUrl: (suffix) => `${base}/responses${suffix}`,
      authHeaders: (context) => bearerAuth(config, context),
    },
    log,
  );
}

export type OpenAIChatAdapter = ProviderAdapter<OpenAIChatRequestBody> &
  RelayCapable &
  TokenCounting &
  Partial<EmbeddingCapable>;

/** The Chat Completions adapter over any endpoint: converter, decoder, error parser and relay are shared. */
export function createOpenAIChatAdapter(
  config: ProviderConfig,
  endpoint: OpenAIChatEndpoint,
  log?: ProviderLog,
): OpenAIChatAdapter {
  const agent = createUpstreamAgent(config.maxConnections, config.http2 === true);
  const baseHeaders: Record<string, string> = { 'content-type': 'application/json', ...config.headers };
  const relayedHeaders = endpoint.relayedHeaders ?? RELAYED_HEADERS;
  const parseError = endpoint.parseError ?? parseOpenAIError;
  const inBandErrors = { provider: config.name, parseError };
  const createChatTap = (isStream: boolean): UsageTap => createOpenAIChatUsageTap(isStream, inBandErrors);
  const createResponsesTap = (isStream: boolean): UsageTap =>
    createOpenAIResponsesUsageTap(isStream, inBandErrors);

  const streamUsage = new StreamUsageOption(config.name, config.includeStreamUsage !== false, log);

  function post(body: string, url: string, context: CallContext): Promise<UpstreamResponse> {
    return postUpstream(agent, url, {
      config,
      context,
      // Object.assign, not a spread: see the note on slow spreads in openai-usage-tap.ts.
      headers: Object.assign({}, baseHeaders, endpoint.authHeaders(context)),
      body,
      refusal: (response) => upstreamError(config.name, response, parseError),
    });
  }

  /**
   * Posts a chat body. `added` says its `stream_options` is the gateway's own (the client sent none): if
   * the upstream refuses that field, the same attempt sends the body once more without it, and the
   * provider is not asked for stream usage again (stream-usage-option.ts).
   */
  function postChat(
    prepared: Record<string, unknown>,
    url: string,
    context: CallContext,
    added: boolean,
  ): Promise<UpstreamResponse> {
    // Not async: the usual call (nothing added) hands back post's own promise, without a wrapper.
    return added ? postFallingBack(prepared, url, context) : post(JSON.stringify(prepared), url, context);
  }

  async function postFallingBack(
    prepared: Record<string, unknown>,
    url: string,
    context: CallContext,
  ): Promise<UpstreamResponse> {
    try {
      return await post(JSON.stringify(prepared), url, context);
    } catch (error) {
      if (!streamUsage.refused(error)) throw error;
    }
    const { stream_options: _refused, ...without } = prepared;
    context.usageNotAsked?.();
    return post(JSON.stringify(without), url, context);
  }

  const { embeddingsUrl } = endpoint;
  const embedding: Partial<EmbeddingCapable> = embeddingsUrl
    ? {
        // Forwarded as the client sent them: the host decides which models take tokens and dimensions.
        embeddings: { tokens: endpoint.embeddingTokens !== false, dimensions: () => true },
        async embed(request: ProviderEmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
          const body = JSON.stringify(openAIEmbeddingsBody(request, endpoint.embeddingRename));
          const response = await post(body, embeddingsUrl(request.upstreamModel), context);
          return readOpenAIEmbeddings(response, request, config.name);
        },
      }
    : {};

  return {
    ...embedding,
    name: config.name,
    type: config.type,
    capabilities: CAPABILITIES,
    relayDialects: endpoint.responsesUrl ? ['openai-chat', 'openai-responses'] : ['openai-chat'],

    prepare: (request) => convertToOpenAIChatRequest(request, config.name),

    stream(
      request: ProviderRequest,
      context: CallContext,
      prepared?: OpenAIChatRequestBody,
    ): AsyncIterable<CanonicalEvent> {
      return upstreamStream({
        open: () => {
          // A copy: the prepared body serves every retry on this target.
          const wire: Record<string, unknown> = {
            ...(prepared ?? convertToOpenAIChatRequest(request, config.name)),
          };
          // The translated path always streams and asks for its usage, unless the provider refuses that.
          const asked = streamUsage.enabled;
          if (!asked) {
            delete wire['stream_options'];
            context.usageNotAsked?.();
          }
          const sent = endpoint.prepareBody ? endpoint.prepareBody(wire, context, request) : wire;
          return postChat(sent, endpoint.url(request.upstreamModel), context, asked);
        },
        decode: (response) => decodeOpenAIChatStream(parseSse(response.body), config.name),
        bodyError: (error) => bodyReadError(error, config.name),
      });
    },

    /**
     * Forwards the client's body with only `model` replaced, so fields the gateway does not know survive.
     * A chat stream asks for `stream_options.include_usage`: budgets, token limits and the usage log need
     * the real count, and without it a relayed stream would cost nothing. When the client did not ask for
     * it, the usage-only chunk this adds is dropped again after the usage tap has read it
     * (drop-usage-chunk.ts), so the client receives what it asked for. A provider that refuses the field
     * (by config, or after its first 400 naming it) is not asked, and such streams are charged an
     * estimate (stream-usage-option.ts). The same tap finds in-band error
     * events and the first chunk with content: the router holds the stream's opening until then, so an
     * error before any content fails over (openai-usage-tap.ts).
     * Responses bodies go to the Responses URL; their usage is always in the final event or the JSON body,
     * and their tap finds `error` and `response.failed` events and the first content the same way
     * (openai-responses-usage-tap.ts).
     */
    async relay(
      dialect: WireDialect,
      body: Record<string, unknown>,
      upstreamModel: string,
      context: CallContext,
    ): Promise<RelayedResponse> {
      // A spread that only replaces keys the body has (`model`) stays on V8's fast path.
      let forwarded: Record<string, unknown> = { ...body, model: upstreamModel };
      if (dialect === 'openai-responses' && endpoint.responsesUrl) {
        const response = await post(JSON.stringify(forwarded), endpoint.responsesUrl(''), context);
        return relayResponse(
          response,
          relayedHeaders,
          createResponsesTap,
          body['stream'] === true,
          config.name,
        );
      }
      if (dialect !== 'openai-chat') {
        throw new GatewayError('internal', `Provider ${config.name} cannot relay the ${dialect} dialect`);
      }
      const isStream = body['stream'] === true;
      const clientAsked = clientAskedForUsage(body);
      const addUsage = isStream && !clientAsked && streamUsage.enabled;
      // Object.assign: a key added to a spread copy takes V8's slow path (see openai-usage-tap.ts).
      if (addUsage)
        forwarded = Object.assign({}, forwarded, {
          stream_options: Object.assign({}, streamOptions(body), { include_usage: true }),
        });
      else if (isStream && !clientAsked) context.usageNotAsked?.();
      const prepared = endpoint.prepareBody ? endpoint.prepareBody(forwarded, context) : forwarded;
      // Only a `stream_options` entirely the gateway's is taken back when refused; the client's is its own.
      const added = addUsage && body['stream_options'] == null;
      const response = await postChat(prepared, endpoint.url(upstreamModel), context, added);
      const relayed = relayResponse(
        response,
        relayedHeaders,
        createChatTap,
        body['stream'] === true,
        config.name,
      );
      return addUsage ? { ...relayed, body: dropUsageOnlyChunks(relayed.body) } : relayed;
    },

    /** Exact input tokens from `POST {base}/responses/input_tokens` (Responses bodies only). */
    async countTokens(
      dialect: WireDialect,
      body: Record<string, unknown>,
      upstreamModel: string,
      context: CallContext,
    ): Promise<number> {
      if (dialect !== 'openai-responses' || !endpoint.responsesUrl) {
        throw new GatewayError('internal', `Provider ${config.name} cannot count ${dialect} tokens`);
      }
      const response = await post(
        JSON.stringify({ ...body, model: upstreamModel }),
        endpoint.responsesUrl('/input_tokens'),
        context,
      );
      const parsed = z
        .looseObject({ input_tokens: z.number().int().nonnegative() })
        .safeParse(parseJsonData(await readText(response.body)));
      if (!parsed.success) {
        throw new GatewayError('transient', `${config.name}: malformed input_tokens answer`, {
          provider: config.name,
        });
      }
      return parsed.data.input_tokens;
    },
  };
}

function streamOptions(body: Record<string, unknown>): Record<string, unknown> {
  const options = body['stream_options'];
  return typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {};
}

function clientAskedForUsage(body: Record<string, unknown>): boolean {
  return streamOptions(body)['include_usage'] === true;
}
