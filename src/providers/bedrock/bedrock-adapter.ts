/**
 * The AWS Bedrock provider: canonical request → POST {endpoint}/model/{modelId}/converse-stream, signed
 * with SigV4 (always streamed; a non-streaming client gets the collected stream) → binary event stream →
 * canonical events.
 */

import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { COHERE_MAX_TEXTS } from '../cohere/cohere-embeddings.js';
import type { CallContext, EmbeddingCapable, ProviderAdapter, ProviderConfig } from '../provider-adapter.js';
import type { Warned } from '../shared/collect-warnings.js';
import { collectWarnings, tellWarnings } from '../shared/collect-warnings.js';
import { embedInBatches, PER_TEXT_PARALLEL_CALLS } from '../shared/embed-in-batches.js';
import { postUpstream } from '../shared/post-upstream.js';
import { malformedEmbeddings } from '../shared/read-embedding-answer.js';
import { parseJsonData } from '../shared/sse.js';
import { streamBreakError } from '../shared/stream-break-error.js';
import type { UpstreamResponse } from '../shared/upstream-http.js';
import { createUpstreamAgent, readText } from '../shared/upstream-http.js';
import { upstreamStream } from '../shared/upstream-stream.js';
import {
  bedrockTakesDimensions,
  fromBedrockCohereEmbed,
  fromTitanEmbed,
  requireBedrockEmbeddingFamily,
  titanEmbedAnswer,
  toBedrockCohereEmbed,
  toTitanEmbed,
} from './bedrock-embeddings.js';
import { bedrockHttpError } from './bedrock-error.js';
import { decodeEventStream } from './bedrock-event-stream.js';
import { bedrockEventsFromFrames } from './bedrock-frame-events.js';
import { decodeBedrockStream } from './bedrock-stream-decoder.js';
import type { ConverseResponseOptions } from './converse-response-events.js';
import { converseResponseEvents } from './converse-response-events.js';
import { convertToBedrockRequest } from './convert-to-bedrock-request.js';
import { createAwsAuthResolver } from './resolve-aws-auth.js';
import { signAwsRequest } from './sign-aws-request.js';

/** bedrock-runtime's SigV4 signing name. */
export const BEDROCK_SIGNING_SERVICE = 'bedrock';

/** The Converse body sent, and what the conversion left out for this model (told to each attempt). */
export type BedrockPrepared = Warned<string>;

export function createBedrockAdapter(
  config: ProviderConfig,
): ProviderAdapter<BedrockPrepared> & EmbeddingCapable {
  const agent = createUpstreamAgent(config.maxConnections, config.http2 === true);
  const resolveAuth = createAwsAuthResolver(config.name, config.settings, config.baseUrl);

  /** What the model cannot take on Converse (a reasoning setting, file URLs, ...) is thrown here. */
  function prepare(request: ProviderRequest): BedrockPrepared {
    return collectWarnings((warn) => JSON.stringify(convertToBedrockRequest(request, config.name, warn)));
  }

  function stream(
    request: ProviderRequest,
    context: CallContext,
    prepared?: BedrockPrepared,
  ): AsyncIterable<CanonicalEvent> {
    return upstreamStream({
      open: async () => {
        const { body, warnings } = prepared ?? prepare(request);
        tellWarnings(warnings, context.warn);
        const { url, headers } = await signedRequest(request.upstreamModel, body, 'converse-stream');
        return postUpstream(agent, url, {
          config,
          context,
          headers,
          body,
          refusal: (refused) => bedrockHttpError(config.name, refused),
        });
      },
      decode: (response) => decodeResponse(response, config.name),
      bodyError: (error) => streamBreakError(error, config.name, context.cancel),
    });
  }

  /** SigV4 over the exact body that will be sent. Bedrock API keys (bearer tokens) are not supported. */
  async function signedRequest(
    modelId: string,
    body: string,
    action: 'converse-stream' | 'invoke',
  ): Promise<{ url: string; headers: Record<string, string> }> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: action === 'invoke' ? 'application/json' : 'application/vnd.amazon.eventstream',
    };
    for (const [name, value] of Object.entries(config.headers)) headers[name.toLowerCase()] = value;
    const { credentials, region } = await resolveAuth();
    const endpoint = endpointFor(config.baseUrl, region);
    const url = action === 'invoke' ? invokeUrl(endpoint, modelId) : converseStreamUrl(endpoint, modelId);
    const signed = await signAwsRequest({
      method: 'POST',
      url: new URL(url),
      headers,
      body,
      credentials,
      region,
      service: BEDROCK_SIGNING_SERVICE,
    });
    return { url, headers: signed };
  }

  /** One signed InvokeModel call: the parsed JSON answer and Bedrock's input token count header. */
  async function invoke(
    modelId: string,
    payload: Record<string, unknown>,
    context: CallContext,
  ): Promise<{ answer: unknown; inputTokens: number | undefined }> {
    const body = JSON.stringify(payload);
    const { url, headers } = await signedRequest(modelId, body, 'invoke');
    const response = await postUpstream(agent, url, {
      config,
      context,
      headers,
      body,
      refusal: (refused) => bedrockHttpError(config.name, refused),
    });
    const count = Number(firstHeader(response.headers['x-amzn-bedrock-input-token-count']));
    return {
      answer: parseJsonData(await readText(response.body)),
      inputTokens: Number.isFinite(count) ? count : undefined,
    };
  }

  async function embed(request: ProviderEmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
    const modelId = request.upstreamModel;
    const family = requireBedrockEmbeddingFamily(modelId, config.name);
    if (family === 'cohere')
      return embedInBatches(request, context, { size: COHERE_MAX_TEXTS }, async (batch, callContext) => {
        const { answer, inputTokens } = await invoke(modelId, toBedrockCohereEmbed(batch), callContext);
        return fromBedrockCohereEmbed(answer, batch, config.name, inputTokens);
      });
    // Titan embeds one text per call: the calls run a few at a time, answers kept in input order.
    return embedInBatches(
      request,
      context,
      { size: 1, parallel: PER_TEXT_PARALLEL_CALLS },
      async (batch, callContext) => {
        const text = batch.input.kind === 'text' ? (batch.input.texts[0] ?? '') : '';
        const { answer, inputTokens } = await invoke(modelId, toTitanEmbed(text, batch), callContext);
        const parsed = titanEmbedAnswer.safeParse(answer);
        if (!parsed.success) throw malformedEmbeddings(config.name);
        return fromTitanEmbed(parsed.data, batch, inputTokens);
      },
    );
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
    embeddings: {
      tokens: false,
      dimensions: bedrockTakesDimensions,
      requireModel: (modelId) => requireBedrockEmbeddingFamily(modelId, config.name),
    },
    embed,
  };
}

/** config.baseUrl when set (a VPC endpoint, a mock), else the region's public endpoint. */
export function endpointFor(baseUrl: string, region: string): string {
  if (baseUrl !== '') return baseUrl.replace(/\/+$/, '');
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}

/** InvokeModel, where embedding models are called in their own body format. */
export function invokeUrl(endpoint: string, modelId: string): string {
  return `${endpoint}/model/${encodeModelId(modelId)}/invoke`;
}

/** Model ids go in the path: ARNs and versioned ids hold ':' and '/', so every reserved character is escaped. */
export function converseStreamUrl(endpoint: string, modelId: string): string {
  return `${endpoint}/model/${encodeModelId(modelId)}/converse-stream`;
}

export function encodeModelId(modelId: string): string {
  return encodeURIComponent(modelId).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The event stream, or a whole Converse answer (a proxy or mock that does not stream). */
function decodeResponse(response: UpstreamResponse, provider: string): AsyncIterable<CanonicalEvent> {
  const responseId = firstHeader(response.headers['x-amzn-requestid']);
  const options = { provider, ...(responseId ? { responseId } : {}) };
  if (firstHeader(response.headers['content-type'])?.includes('application/json')) {
    return wholeAnswerEvents(response, options);
  }
  const frames = decodeEventStream(response.body as AsyncIterable<Uint8Array>, options);
  return decodeBedrockStream(bedrockEventsFromFrames(frames, options), options);
}

async function* wholeAnswerEvents(
  response: UpstreamResponse,
  options: ConverseResponseOptions,
): AsyncGenerator<CanonicalEvent> {
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined; // converseResponseEvents reports it as a classified error
  }
  yield* converseResponseEvents(json, options);
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
