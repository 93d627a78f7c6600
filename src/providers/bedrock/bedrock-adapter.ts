/**
 * The AWS Bedrock provider: canonical request → POST {endpoint}/model/{modelId}/converse-stream, signed
 * with SigV4 (always streamed; a non-streaming client gets the collected stream) → binary event stream →
 * canonical events.
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { GatewayError } from '../../core/errors.js';
import type { CallContext, ProviderAdapter, ProviderConfig } from '../provider-adapter.js';
import { classifyTransportError, createUpstreamAgent, sendUpstream } from '../shared/upstream-http.js';
import { bedrockHttpError } from './bedrock-error.js';
import { decodeEventStream } from './bedrock-event-stream.js';
import { bedrockEventsFromFrames } from './bedrock-frame-events.js';
import { decodeBedrockStream } from './bedrock-stream-decoder.js';
import { converseResponseEvents } from './converse-response-events.js';
import { convertToBedrockRequest } from './convert-to-bedrock-request.js';
import { createAwsAuthResolver } from './resolve-aws-auth.js';
import { signAwsRequest } from './sign-aws-request.js';

/** bedrock-runtime's SigV4 signing name. */
export const BEDROCK_SIGNING_SERVICE = 'bedrock';

export function createBedrockAdapter(config: ProviderConfig): ProviderAdapter {
  const agent = createUpstreamAgent(config.maxConnections, config.http2 === true);
  const resolveAuth = createAwsAuthResolver(config.name, config.settings, config.baseUrl);

  async function* stream(request: ProviderRequest, context: CallContext): AsyncGenerator<CanonicalEvent> {
    const body = JSON.stringify(convertToBedrockRequest(request, context.warn));
    const { url, headers } = await signedRequest(request.upstreamModel, body);
    const response = await sendUpstream(agent, url, {
      headers,
      body,
      signal: context.signal,
      timeoutMs: config.timeoutMs,
      provider: config.name,
    });
    if (response.status < 200 || response.status >= 300) throw await bedrockHttpError(config.name, response);
    const responseId = firstHeader(response.headers['x-amzn-requestid']);
    const options = { provider: config.name, ...(responseId ? { responseId } : {}) };
    try {
      if (firstHeader(response.headers['content-type'])?.includes('application/json')) {
        // Not an event stream: a whole Converse answer (a proxy or mock that does not stream).
        const text = await response.body.text();
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined; // converseResponseEvents reports it as a classified error
        }
        yield* converseResponseEvents(json, options);
        return;
      }
      const frames = decodeEventStream(response.body as AsyncIterable<Uint8Array>, options);
      yield* decodeBedrockStream(bedrockEventsFromFrames(frames, options), options);
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      // The body broke mid-stream: a socket reset, or an abort that the client did not ask for, which can
      // only be the attempt timeout.
      throw classifyTransportError(error, config.name, isAbort(error) && !context.signal.aborted);
    } finally {
      // A consumer that stops early must not leave the connection half-read.
      if (!response.body.readableEnded) response.body.destroy();
    }
  }

  /** SigV4 over the exact body that will be sent. Bedrock API keys (bearer tokens) are not supported. */
  async function signedRequest(
    modelId: string,
    body: string,
  ): Promise<{ url: string; headers: Record<string, string> }> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/vnd.amazon.eventstream',
    };
    for (const [name, value] of Object.entries(config.headers)) headers[name.toLowerCase()] = value;
    const { credentials, region } = await resolveAuth();
    const url = converseStreamUrl(endpointFor(config.baseUrl, region), modelId);
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
    stream,
  };
}

/** config.baseUrl when set (a VPC endpoint, a mock), else the region's public endpoint. */
export function endpointFor(baseUrl: string, region: string): string {
  if (baseUrl !== '') return baseUrl.replace(/\/+$/, '');
  return `https://bedrock-runtime.${region}.amazonaws.com`;
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

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
