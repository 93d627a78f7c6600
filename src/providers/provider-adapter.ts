/**
 * The narrow interface every provider implements: canonical request in, canonical events out.
 * Optional capabilities (same-dialect relay, token counting, ...) are separate interfaces.
 */

import type { Cancellation } from '../core/cancellation.js';
import type { CanonicalEvent } from '../core/canonical-events.js';
import type { ProviderRequest, ReasoningRequest } from '../core/canonical-request.js';
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../core/embeddings.js';
import type { Usage } from '../core/usage.js';

export interface ProviderCapabilities {
  stream: boolean;
  tools: boolean;
  vision: boolean;
  documents: boolean;
  reasoning: boolean;
  jsonSchema: boolean;
  /** A trailing assistant message is continued (prefill) rather than answered; used by resume_streams. */
  assistantPrefill?: boolean;
}

/** A provider as configured, with secrets already resolved. */
export interface ProviderConfig {
  /** The name clients address it by (`<name>/<model>`), the TOML table key. */
  name: string;
  type: string;
  baseUrl: string;
  /** One or more API keys; empty for upstreams that need none (echo, local servers). */
  apiKeys: string[];
  /** Whole-attempt timeout in milliseconds. */
  timeoutMs: number;
  /** Static extra headers sent upstream on every request. */
  headers: Record<string, string>;
  /** Upper bound on pooled connections to this provider's origin. */
  maxConnections: number;
  /** Requests in flight to this provider before callers queue; unlimited when absent. */
  maxConcurrent?: number;
  queueTimeoutMs?: number;
  maxQueue?: number;
  /** Negotiate HTTP/2 with the upstream. */
  http2?: boolean;
  /**
   * OpenAI-wire providers: false never asks a stream for its usage (`stream_options.include_usage`), for
   * upstreams that refuse the field. Default true.
   */
  includeStreamUsage?: boolean;
  /** Settings only some provider types have (cloud credentials, API versions); secrets resolved. */
  settings?: ProviderSettings;
}

export interface ProviderSettings {
  /** Bedrock */
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  profile?: string;
  /** Vertex */
  project?: string;
  location?: string;
  credentialsFile?: string;
  credentialsJson?: string;
  tokenUrl?: string;
  /** Azure */
  apiVersion?: string;
  bearerToken?: string;
}

export interface CallContext {
  /**
   * The call's cancellation, one per attempt (the router makes it): upstream calls abort it on their own
   * timeout, and it aborts with the request.
   */
  cancel: Cancellation;
  requestId: string;
  /** Lower-cased client request headers, for the few a provider passes through (e.g. anthropic-beta). */
  clientHeaders: Record<string, string | undefined>;
  /** The key the router chose from the provider's rotation; adapters fall back to their first key. */
  apiKey?: string;
  /**
   * Reports a change the adapter made to the request that the client should know about (a parameter the
   * upstream refuses, stripped). The gateway returns each message in an `x-junction-warning` header.
   */
  warn?: (message: string) => void;
  /**
   * Reports that the upstream was not asked to report usage (an OpenAI-wire provider that refuses
   * `stream_options`): an answer that comes without usage is then charged an estimate (finish-request.ts).
   */
  usageNotAsked?: () => void;
}

/** Where an adapter logs what an operator should know about its upstream (the process logger). */
export interface ProviderLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

/**
 * `Prepared` is what the adapter makes of a request before sending it (its wire body); only the adapter
 * reads it, the router just hands it back.
 */
export interface ProviderAdapter<Prepared = unknown> {
  readonly name: string;
  readonly type: string;
  readonly capabilities: ProviderCapabilities;
  /**
   * Converts the request for this provider, with no I/O. What the provider cannot take (a field it has no
   * counterpart for, a part its API cannot carry) is thrown here as the gateway's own 400, so the router
   * skips the target before a concurrency slot or key is taken, and it never counts as an upstream attempt.
   */
  prepare(request: ProviderRequest): Prepared;
  /**
   * Streams the answer as canonical events. Upstream failures are thrown as GatewayError, before the
   * first event when the upstream refuses the request, mid-iteration when a stream breaks. `prepared` is
   * `prepare(request)`, made here when not given.
   */
  stream(request: ProviderRequest, context: CallContext, prepared?: Prepared): AsyncIterable<CanonicalEvent>;
}

/** The dialect names a relay can forward verbatim. */
export type WireDialect = 'openai-chat' | 'anthropic-messages' | 'openai-responses';

export interface RelayedResponse {
  status: number;
  /** Upstream response headers worth passing on (content-type and provider request ids). */
  headers: Record<string, string>;
  /** The upstream body bytes, as they arrive. */
  body: AsyncIterable<Uint8Array>;
  /** Usage read from the relayed bytes; available once `body` has been consumed. */
  usage(): Usage | undefined;
  /**
   * For a stream whose opening the relay tells apart from its content (OpenAI chat: the role chunk,
   * comments): whether content has passed yet. The router holds the bytes until then, so a failure before
   * any content (an in-band error event, a break) fails over. Without it a stream is relayed from its
   * first byte.
   */
  started?(): boolean;
}

/** Whether a relayed answer is an SSE stream (else one JSON body), by its content type. */
export function isEventStream(relayed: Pick<RelayedResponse, 'headers'>): boolean {
  return relayed.headers['content-type']?.includes('text/event-stream') === true;
}

/**
 * Alias defaults a relayed body cannot hold in its dialect's own terms until the upstream model is known
 * (DecodedRequest.relayDefaults): the relaying provider writes them for that model.
 */
export interface RelayDefaults {
  /**
   * The reasoning an alias's default `reasoning_effort` asks for, when the client said nothing about
   * reasoning. Anthropic's terms for it depend on the Claude model (a thinking budget, or adaptive thinking).
   */
  reasoning?: ReasoningRequest;
}

/**
 * Same-dialect fast path: the client's body is forwarded with only the model rewritten and the upstream
 * bytes are relayed as they come. Non-2xx upstream answers are thrown as GatewayError, like `stream`.
 */
export interface RelayCapable {
  relayDialects: readonly WireDialect[];
  relay(
    dialect: WireDialect,
    body: Record<string, unknown>,
    upstreamModel: string,
    context: CallContext,
    defaults?: RelayDefaults,
  ): Promise<RelayedResponse>;
}

export function canRelay(
  adapter: ProviderAdapter,
  dialect: WireDialect,
): adapter is ProviderAdapter & RelayCapable {
  const relayDialects = (adapter as Partial<RelayCapable>).relayDialects;
  return relayDialects?.includes(dialect) === true;
}

/** Exact prompt token counting by the provider itself (Anthropic's count_tokens endpoint). */
export interface TokenCounting {
  countTokens(
    dialect: WireDialect,
    body: Record<string, unknown>,
    upstreamModel: string,
    context: CallContext,
  ): Promise<number>;
}

export function canCountTokens(
  adapter: ProviderAdapter,
  dialect: WireDialect,
): adapter is ProviderAdapter & TokenCounting {
  return canRelay(adapter, dialect) && typeof (adapter as Partial<TokenCounting>).countTokens === 'function';
}

/** What an embeddings-capable provider can take beyond plain texts. */
export interface EmbeddingSupport {
  /** Pre-tokenized inputs (OpenAI token arrays). */
  tokens: boolean;
  /** `dimensions` for `upstreamModel` (some providers can shorten only some models' vectors). */
  dimensions(upstreamModel: string): boolean;
  /** Throws the 400 for a model this provider has no embeddings request for; absent when it takes any. */
  requireModel?(upstreamModel: string): void;
}

/**
 * `POST /v1/embeddings`: every input answered whole, in one upstream call or, past the upstream's per-call
 * limit, in several that are one attempt (embedInBatches). Upstream failures are thrown as GatewayError,
 * like `stream`; what the provider cannot take (token inputs, `dimensions`, the model) is refused by the router from
 * `embeddings` before the call.
 */
export interface EmbeddingCapable {
  embeddings: EmbeddingSupport;
  embed(request: ProviderEmbeddingRequest, context: CallContext): Promise<EmbeddingResult>;
}

export function canEmbed(adapter: ProviderAdapter): adapter is ProviderAdapter & EmbeddingCapable {
  return typeof (adapter as Partial<EmbeddingCapable>).embed === 'function';
}
