/**
 * The life of one streamed upstream call, as the native adapters run it: open (send, and throw a refusal
 * as the provider's error), decode the accepted body, classify a break while reading it, and release the
 * connection when the consumer stops early. An adapter's `stream` returns this iterator itself, so it
 * adds no async-generator hop per event.
 */
import type { GatewayError } from '../../core/errors.js';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import { nextReadyThen } from '../../core/ready-iterator.js';
import type { UpstreamResponse } from './upstream-http.js';

export interface UpstreamStreamSteps<T> {
  /** Sends the request: the accepted response, or a rejection with the classified refusal. */
  open: () => Promise<UpstreamResponse>;
  /** The events in the accepted body. */
  decode: (response: UpstreamResponse) => AsyncIterable<T>;
  /** Classifies a failure while reading or decoding the body (a decoder's own GatewayError stays as is). */
  bodyError: (error: unknown) => GatewayError;
}

export function upstreamStream<T>(steps: UpstreamStreamSteps<T>): ReadyIterator<T> {
  // A plain iterator rather than a generator delegating with `yield*`: delegation costs a generator
  // resumption per event on top of the decoder's own.
  let response: UpstreamResponse | undefined;
  let inner: AsyncIterator<T> | undefined;
  let closed = false;
  const done = (): IteratorResult<T> => ({ done: true, value: undefined });
  // A consumer that stops early must not leave the connection half-read.
  const release = (): void => {
    if (response && !response.body.ended) response.body.destroy();
  };
  const passOn = (next: IteratorResult<T>): IteratorResult<T> => {
    if (next.done) {
      closed = true;
      release();
    }
    return next;
  };
  const fail = (error: unknown): never => {
    closed = true;
    release();
    throw steps.bodyError(error);
  };
  const open = async (): Promise<IteratorResult<T>> => {
    try {
      response = await steps.open();
    } catch (error) {
      // A refusal is already the provider's classified error.
      closed = true;
      throw error;
    }
    inner = steps.decode(response)[Symbol.asyncIterator]();
    return inner.next().then(passOn, fail);
  };
  return {
    next: () => {
      if (closed) return Promise.resolve(done());
      return inner ? inner.next().then(passOn, fail) : open();
    },
    nextSync: () => {
      if (closed) return done();
      return inner ? nextReadyThen(inner, passOn, fail) : undefined;
    },
    return: async () => {
      if (!closed) {
        closed = true;
        try {
          await inner?.return?.();
        } finally {
          release();
        }
      }
      return done();
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
