/**
 * Upstream HTTP through undici: one Agent (a keep-alive pool per origin) per provider, streamed bodies.
 */

import type { Dispatcher } from 'undici';
import { Agent, request, errors as undiciErrors } from 'undici';
import type { Cancellation } from '../../core/cancellation.js';
import { GatewayError } from '../../core/errors.js';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

export interface UpstreamRequestOptions {
  method?: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
  /** The call's cancellation, owned by the caller for this call (an attempt); the timeout aborts it. */
  cancel: Cancellation;
  timeoutMs: number;
  provider: string;
}

/** One pool per origin, bounded; HTTP/1.1 keep-alive unless `http2` asks for ALPN negotiation. */
export function createUpstreamAgent(maxConnections: number, http2 = false): Agent {
  return new Agent({
    connections: maxConnections,
    allowH2: http2,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    // Streams can be silent for long stretches (reasoning); the attempt timeout governs instead.
    bodyTimeout: 0,
    headersTimeout: 0,
  });
}

/** Sends one upstream request. Network failures and timeouts become classified GatewayErrors. */
export async function sendUpstream(
  agent: Dispatcher,
  url: string,
  options: UpstreamRequestOptions,
): Promise<UpstreamResponse> {
  // One timer, and the caller's cancellation handed to undici as it is (an EventEmitter): AbortSignal and
  // AbortController on the request path cost measurable CPU (bench/profile-findings.md).
  const { cancel } = options;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    cancel.abort(new DOMException('Upstream attempt timed out', 'TimeoutError'));
  }, options.timeoutMs);
  const cleanup = (): void => clearTimeout(timer);
  try {
    const response = await request(url, {
      method: options.method ?? 'POST',
      headers: options.headers,
      body: options.body,
      signal: cancel,
      dispatcher: agent,
    });
    // The timeout covers the whole attempt, body included, so it is cleared only when the body ends.
    response.body.once('close', cleanup);
    return { status: response.statusCode, headers: response.headers, body: response.body };
  } catch (error) {
    cleanup();
    throw classifyTransportError(error, options.provider, timedOut);
  }
}

export function classifyTransportError(error: unknown, provider: string, timedOut: boolean): GatewayError {
  if (error instanceof GatewayError) return error;
  if (timedOut)
    return new GatewayError('timeout', `Upstream ${provider} timed out`, { provider, cause: error });
  if (
    error instanceof undiciErrors.RequestAbortedError ||
    (error instanceof Error && error.name === 'AbortError')
  ) {
    return new GatewayError('timeout', `Request to ${provider} was aborted`, {
      provider,
      cause: error,
      status: 499,
    });
  }
  const code = (error as { code?: string } | undefined)?.code ?? '';
  return new GatewayError('network', `Could not reach upstream ${provider}${code ? ` (${code})` : ''}`, {
    provider,
    cause: error,
  });
}

/** Reads a whole (small) body as text; used for error bodies and non-stream JSON answers. */
export async function readText(body: UpstreamResponse['body']): Promise<string> {
  return body.text();
}
