/**
 * The narrow interface every inbound surface implements: wire body -> canonical request, canonical
 * events -> wire response or SSE, GatewayError -> the dialect's own error envelope.
 */
import type { CanonicalEvent } from '../core/canonical-events.js';
import type { CanonicalRequest } from '../core/canonical-request.js';
import type { CanonicalResponse } from '../core/collect-response.js';
import type { GatewayError } from '../core/errors.js';
import type { RelayDefaults, WireDialect } from '../providers/provider-adapter.js';

export interface DecodedRequest {
  canonical: CanonicalRequest;
  /** The validated client body, for the same-dialect fast path. */
  body: Record<string, unknown>;
  /**
   * Client fields the canonical model cannot carry. Harmless on the fast path; on a translated path
   * they are a 400 rather than a silent drop.
   */
  unmodeled: string[];
  /**
   * Alias defaults the relay body could not take in this dialect's terms without knowing the upstream model
   * (an Anthropic body's thinking for a default `reasoning_effort`); the relaying provider applies them.
   */
  relayDefaults?: RelayDefaults;
  /**
   * The client's request as the dialect validated it. Stages change `body` and `canonical`, never this, so
   * a failure can still be traced back to the fields the client sent (locateParam).
   */
  readonly parsed?: unknown;
}

export interface EncodeContext {
  /** The model name to report: what the client asked for. */
  model: string;
  requestId: string;
}

export interface StreamEncoder {
  /** SSE text for one event; empty when the event has no wire form in this dialect. */
  event(event: CanonicalEvent): string;
  /** SSE text that ends a successful stream. */
  end(): string;
  /** SSE text that ends a stream broken after bytes were sent. */
  error(error: GatewayError): string;
}

export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface Dialect {
  readonly name: WireDialect;
  decodeRequest(body: unknown): DecodedRequest;
  /** Whether the client asked for usage in the stream (OpenAI stream_options.include_usage). */
  encodeResponse(response: CanonicalResponse, context: EncodeContext): unknown;
  createStreamEncoder(context: EncodeContext, decoded: DecodedRequest): StreamEncoder;
  /** `requestId` lets envelopes that carry one (Anthropic's `request_id`) say which request failed. */
  renderError(error: GatewayError, requestId?: string): RenderedError;
  /**
   * A param naming a canonical field or place (`messages[2].content[1]`, `response_format`) as this
   * surface's client sent it (shared/locate-canonical-param.ts).
   */
  locateParam(decoded: DecodedRequest, param: string): string;
}
