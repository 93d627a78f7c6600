/**
 * The fast path's half of a relay: pass the upstream bytes on as they arrive, tapping usage on the way.
 */
import { asBuffer } from '../../core/as-buffer.js';
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
    ...(tap.started ? { started: tap.started } : {}),
  };
}

const NEWLINE = 0x0a;

/**
 * The upstream body, tapped for usage; a plain iterator, not a generator, as it runs once per chunk. Chunks
 * already received are handed out synchronously (`nextSync`): a small JSON answer usually arrives with
 * its headers, and is then relayed without a promise per chunk.
 *
 * A stream whose tap finds in-band error events (such a tap has `started`) is handed out in whole lines,
 * a line cut by a chunk boundary waiting for its end (of no use to a client anyway), so an error event
 * never reaches the client in part. When the tap finds one, the bytes before it are handed out, then its
 * failure is thrown, and the upstream is released. Any other body passes chunk by chunk (relayChunks).
 */
function relayBody(response: UpstreamResponse, tap: UsageTap, provider: string): ReadyIterator<Uint8Array> {
  if (tap.started === undefined) return relayChunks(response, tap, provider);
  const source = response.body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  /** The start of a line whose end has not arrived. */
  let tail: Buffer | undefined;
  /** An in-band error still to throw, after the bytes before it were handed out. */
  let failed: GatewayError | undefined;
  let over = false;
  const release = (): void => {
    if (!response.body.ended) response.body.destroy();
  };
  const failWith = (error: GatewayError): never => {
    over = true;
    release();
    throw error;
  };
  const ended = (next: IteratorResult<Uint8Array>): IteratorResult<Uint8Array> => {
    release();
    over = true;
    const failure = tap.end();
    if (failure) failWith(failure.error);
    if (tail === undefined) return next;
    // The last line had no newline: it goes out before the end.
    const rest = tail;
    tail = undefined;
    return { done: false, value: rest };
  };
  const passOn = (next: IteratorResult<Uint8Array>): IteratorResult<Uint8Array> => {
    if (next.done) return ended(next);
    const failure = tap.push(next.value);
    const carried = tail === undefined ? 0 : tail.length;
    const bytes = tail === undefined ? asBuffer(next.value) : Buffer.concat([tail, next.value]);
    tail = undefined;
    if (failure !== undefined) {
      // At 0 the event began in this chunk's first byte or in the held line: nothing of it has gone out.
      if (failure.at === 0) failWith(failure.error);
      failed = failure.error;
      release();
      return { done: false, value: bytes.subarray(0, carried + failure.at) };
    }
    // The usual case: the chunk ends a line (upstreams write whole events).
    if (bytes[bytes.length - 1] === NEWLINE) return carried === 0 ? next : { done: false, value: bytes };
    const lastNewline = bytes.lastIndexOf(NEWLINE);
    // Copied: the chunk's memory may be a slice of a larger, reused buffer.
    tail = Buffer.from(bytes.subarray(lastNewline + 1));
    return { done: false, value: bytes.subarray(0, lastNewline + 1) };
  };
  const fail = (error: unknown): never => {
    over = true;
    release();
    throw bodyReadError(error, provider);
  };
  /** The pending in-band error, now thrown: the body is over. */
  const takeFailed = (): GatewayError => {
    const error = failed!;
    failed = undefined;
    over = true;
    return error;
  };
  return {
    next: () => {
      if (failed) return Promise.reject(takeFailed());
      if (over) return Promise.resolve({ done: true, value: undefined });
      return source.next().then(passOn, fail);
    },
    nextSync: () => {
      if (failed) throw takeFailed();
      if (over) return { done: true, value: undefined };
      return nextReadyThen(source, passOn, fail);
    },
    return: async () => {
      over = true;
      tail = undefined;
      release();
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * relayBody for a tap that does not look for in-band errors (JSON bodies, other dialects' streams): the
 * chunks pass as they come, with none of the line keeping (a relayed request allocates less).
 */
function relayChunks(response: UpstreamResponse, tap: UsageTap, provider: string): ReadyIterator<Uint8Array> {
  const source = response.body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const release = (): void => {
    if (!response.body.ended) response.body.destroy();
  };
  const passOn = (next: IteratorResult<Uint8Array>): IteratorResult<Uint8Array> => {
    if (!next.done) {
      tap.push(next.value);
      return next;
    }
    release();
    const failure = tap.end();
    if (failure) throw failure.error;
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
