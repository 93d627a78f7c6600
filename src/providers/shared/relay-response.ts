/**
 * The fast path's half of a relay: pass the upstream bytes on as they arrive, tapping usage on the way.
 */
import { GatewayError } from '../../core/errors.js';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import { nextReadyThen } from '../../core/ready-iterator.js';
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

/**
 * The upstream body, tapped for usage; a plain iterator, not a generator, as it runs once per chunk. Chunks
 * already received are handed out synchronously (`nextSync`): a small JSON answer usually arrives with
 * its headers, and is then relayed without a promise per chunk.
 */
function relayBody(response: UpstreamResponse, tap: UsageTap, provider: string): ReadyIterator<Uint8Array> {
  const source = response.body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const release = (): void => {
    if (!response.body.ended) response.body.destroy();
  };
  const passOn = (next: IteratorResult<Uint8Array>): IteratorResult<Uint8Array> => {
    if (next.done) {
      release();
      tap.end();
    } else tap.push(next.value);
    return next;
  };
  const fail = (error: unknown): never => {
    release();
    throw bodyReadError(error, provider);
  };
  return {
    next: () => source.next().then(passOn, fail),
    nextSync: () => nextReadyThen(source, passOn, fail),
    return: async () => {
      release();
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** A failure while reading an already-accepted body: a decoder's own GatewayError, or the transport's. */
export function bodyReadError(error: unknown, provider: string): GatewayError {
  if (error instanceof GatewayError) return error;
  // The attempt timeout aborts the body with the signal's TimeoutError.
  const timedOut = error instanceof Error && error.name === 'TimeoutError';
  return classifyTransportError(error, provider, timedOut);
}
