/**
 * Google Vertex AI: Gemini models through Google's publisher (the gemini adapter's body and decoder) and
 * Claude models through Anthropic's (the anthropic adapter's body, minus `model`, plus
 * `anthropic_version`, and its decoder), authenticated with a service-account access token. Embeddings
 * go to Google's embedding models' `predict` with the same token and URLs (vertex-embeddings.ts).
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import type { GatewayError } from '../../core/errors.js';
import { mergeBetaFlags } from '../anthropic/anthropic-adapter.js';
import { decodeAnthropicStream } from '../anthropic/anthropic-stream-decoder.js';
import type { GeminiRequest } from '../gemini/convert-to-gemini-request.js';
import { geminiUpstreamError } from '../gemini/gemini-error.js';
import type { GeminiExchange } from '../gemini/gemini-exchange.js';
import { geminiExchange } from '../gemini/gemini-exchange.js';
import type { CallContext, EmbeddingCapable, ProviderAdapter, ProviderConfig } from '../provider-adapter.js';
import { collectWarnings, tellWarnings } from '../shared/collect-warnings.js';
import { embedInBatches } from '../shared/embed-in-batches.js';
import { postUpstream } from '../shared/post-upstream.js';
import { readEmbeddingAnswer } from '../shared/read-embedding-answer.js';
import { parseSse } from '../shared/sse.js';
import { streamBreakError } from '../shared/stream-break-error.js';
import { upstreamError } from '../shared/upstream-error.js';
import type { UpstreamResponse } from '../shared/upstream-http.js';
import { createUpstreamAgent } from '../shared/upstream-http.js';
import { upstreamStream } from '../shared/upstream-stream.js';
import type { VertexAnthropicBody } from './convert-to-vertex-anthropic-request.js';
import { convertToVertexAnthropicRequest } from './convert-to-vertex-anthropic-request.js';
import type { AccessTokenSource } from './vertex-access-token.js';
import { createServiceAccountTokenSource } from './vertex-access-token.js';
import type { ServiceAccount } from './vertex-credentials.js';
import { credentialsError, loadServiceAccount } from './vertex-credentials.js';
import {
  fromVertexPredict,
  requireVertexEmbeddingModel,
  toVertexPredict,
  vertexBatchLimits,
  vertexPredictAnswer,
  vertexTakesDimensions,
} from './vertex-embeddings.js';
import { parseVertexAnthropicError } from './vertex-error.js';
import type { VertexPublisher } from './vertex-urls.js';
import { vertexBaseUrl, vertexModelUrl, vertexPublisher } from './vertex-urls.js';

const DEFAULT_LOCATION = 'us-central1';

export interface VertexAdapterOptions {
  /** Clock for token expiry (tests). */
  now?: () => number;
  /** A token source other than the service-account one (tests, or another credential type later). */
  tokens?: AccessTokenSource;
}

/** What a Vertex call sends: Anthropic's body for Claude models, else Gemini's. */
export type VertexPrepared =
  | { publisher: 'anthropic'; body: VertexAnthropicBody; warnings: string[] | undefined }
  | { publisher: 'google'; exchange: GeminiExchange };

export function createVertexAdapter(
  config: ProviderConfig,
  options: VertexAdapterOptions = {},
): ProviderAdapter<VertexPrepared> & EmbeddingCapable {
  const agent = createUpstreamAgent(config.maxConnections, config.http2 === true);
  const settings = config.settings ?? {};
  const location = settings.location ?? DEFAULT_LOCATION;
  const base = vertexBaseUrl(config.baseUrl, location);
  const staticHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers)) staticHeaders[name.toLowerCase()] = value;

  // Read once and shared by the token source and the project fallback; a failed read is retried later.
  let credentials: Promise<ServiceAccount> | undefined;
  const loadCredentials = (): Promise<ServiceAccount> => {
    credentials ??= loadServiceAccount(settings, config.name).catch((error: unknown) => {
      credentials = undefined;
      throw error;
    });
    return credentials;
  };
  const tokens =
    options.tokens ??
    createServiceAccountTokenSource({
      provider: config.name,
      loadCredentials,
      agent,
      ...(settings.tokenUrl !== undefined ? { tokenUrl: settings.tokenUrl } : {}),
      ...(options.now !== undefined ? { now: options.now } : {}),
    });

  async function project(): Promise<string> {
    if (settings.project !== undefined) return settings.project;
    const fromKey = (await loadCredentials()).project_id;
    if (fromKey === undefined) throw credentialsError(config.name, 'no project configured');
    return fromKey;
  }

  /** The publisher's body; what its API cannot take is thrown here. */
  function prepare(request: ProviderRequest): VertexPrepared {
    if (vertexPublisher(request.upstreamModel) === 'anthropic')
      return {
        publisher: 'anthropic',
        ...collectWarnings((warn) => convertToVertexAnthropicRequest(request, config.name, warn)),
      };
    // Vertex's v1 API lists no VALIDATED function calling mode (docs/providers.md, strict tools).
    const exchange = geminiExchange(request, { provider: config.name, validatedMode: false });
    return { publisher: 'google', exchange };
  }

  function stream(
    request: ProviderRequest,
    context: CallContext,
    given?: VertexPrepared,
  ): AsyncIterable<CanonicalEvent> {
    let prepared = given;
    return upstreamStream({
      open: () => {
        prepared ??= prepare(request);
        if (prepared.publisher === 'anthropic') {
          tellWarnings(prepared.warnings, context.warn);
          return send(request, context, 'anthropic', prepared.body);
        }
        prepared.exchange.warn(context.warn);
        return send(request, context, 'google', prepared.exchange.body);
      },
      decode: (response) => {
        const messages = parseSse(response.body);
        return prepared!.publisher === 'anthropic'
          ? decodeAnthropicStream(messages, { provider: config.name })
          : prepared!.exchange.decode(messages);
      },
      bodyError: (error) => streamBreakError(error, config.name, context.cancel),
    });
  }

  /** Posts the publisher's body with a current access token. */
  async function send(
    request: ProviderRequest,
    context: CallContext,
    publisher: VertexPublisher,
    payload: VertexAnthropicBody | GeminiRequest,
  ): Promise<UpstreamResponse> {
    const anthropic = publisher === 'anthropic';
    const headers: Record<string, string> = {};
    if (anthropic) {
      const beta = mergeBetaFlags(staticHeaders['anthropic-beta'], context.clientHeaders['anthropic-beta']);
      if (beta !== undefined) headers['anthropic-beta'] = beta;
    }
    const method = anthropic ? 'streamRawPredict' : 'streamGenerateContent?alt=sse';
    return authorizedPost(request.upstreamModel, publisher, method, JSON.stringify(payload), context, {
      accept: 'text/event-stream',
      headers,
    });
  }

  /** One call to a publisher model's method, with the static headers and a current access token. */
  async function authorizedPost(
    model: string,
    publisher: VertexPublisher,
    method: string,
    body: string,
    context: CallContext,
    extra: { accept: string; headers?: Record<string, string> },
  ): Promise<UpstreamResponse> {
    const url = vertexModelUrl({ base, project: await project(), location, publisher, model, method });
    const headers: Record<string, string> = {
      ...staticHeaders,
      'content-type': 'application/json',
      accept: extra.accept,
      authorization: `Bearer ${await tokens.token(context.cancel)}`,
      ...extra.headers,
    };
    return postUpstream(agent, url, {
      config,
      context,
      headers,
      body,
      refusal: (refused) => {
        // A rejected token (revoked, or the clock skewed) must not stay cached until its expiry.
        if (refused.status === 401) tokens.invalidate();
        return vertexError(refused, publisher === 'anthropic');
      },
    });
  }

  /** Google's embedding models through `predict`, split into calls each model takes (embedInBatches). */
  async function embed(request: ProviderEmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
    const model = request.upstreamModel;
    requireVertexEmbeddingModel(model, config.name);
    return embedInBatches(request, context, vertexBatchLimits(model), async (batch, callContext) => {
      const body = JSON.stringify(toVertexPredict(batch));
      const response = await authorizedPost(model, 'google', 'predict', body, callContext, {
        accept: 'application/json',
      });
      const answer = await readEmbeddingAnswer(response, vertexPredictAnswer, config.name);
      return fromVertexPredict(answer, batch, config.name);
    });
  }

  function vertexError(response: UpstreamResponse, anthropic: boolean): Promise<GatewayError> {
    return anthropic
      ? upstreamError(config.name, response, parseVertexAnthropicError)
      : geminiUpstreamError(config.name, response);
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
    embeddings: { tokens: false, dimensions: vertexTakesDimensions },
    embed,
  };
}
