/**
 * The fast path's half of a relay: pass the upstream bytes on as they arrive, tapping usage on the way.
 */
import { GatewayError } from '../../core/errors.js';
import type { RelayedResponse } from '../provider-adapter.js';
import type { UpstreamResponse } from './upstream-http.js';
import { classifyTransportError } from './upstream-http.js';
import type { UsageTap } from './usage-tap.js';

export function relayResponse(
  response: UpstreamResponse,
  headerNames: readonly string[],
  createTap: (isStream: boolean) => UsageTap,
  requestedStream: boolean,
  provider: string,
): RelayedResponse {
  const headers: Record<string, string> = {};
  for (const name of headerNames) {
    const value = response.headers[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first;
  }
  // The body's content type decides how to read usage; the request's `stream` flag is the fallback.
  const contentType = headers['content-type'];
  const tap = createTap(contentType ? contentType.includes('text/event-stream') : requestedStream);
  return {
    status: response.status,
    headers,
    body: relayBody(response, tap, provider),
    usage: () => tap.usage(),
  };
}

async function* relayBody(
  response: UpstreamResponse,
  tap: UsageTap,
  provider: string,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of response.body) {
      const bytes = chunk as Uint8Array;
      tap.push(bytes);
      yield bytes;
    }
  } catch (error) {
    throw bodyReadError(error, provider);
  } finally {
    if (!response.body.readableEnded) response.body.destroy();
  }
  tap.end();
}

/** A failure while reading an already-accepted body: a decoder's own GatewayError, or the transport's. */
export function bodyReadError(error: unknown, provider: string): GatewayError {
  if (error instanceof GatewayError) return error;
  // The attempt timeout aborts the body with the signal's TimeoutError.
  const timedOut = error instanceof Error && error.name === 'TimeoutError';
  return classifyTransportError(error, provider, timedOut);
}
