/**
 * The life of one streamed upstream call, as the native adapters run it: open (send, and throw a refusal
 * as the provider's error), decode the accepted body, classify a break while reading it, and release the
 * connection when the consumer stops early. An adapter's `stream` returns this generator itself, so it
 * adds no async-generator hop per event.
 */
import type { GatewayError } from '../../core/errors.js';
import type { UpstreamResponse } from './upstream-http.js';

export interface UpstreamStreamSteps<T> {
  /** Sends the request: the accepted response, or a rejection with the classified refusal. */
  open: () => Promise<UpstreamResponse>;
  /** The events in the accepted body. */
  decode: (response: UpstreamResponse) => AsyncIterable<T>;
  /** Classifies a failure while reading or decoding the body (a decoder's own GatewayError stays as is). */
  bodyError: (error: unknown) => GatewayError;
}

export async function* upstreamStream<T>(steps: UpstreamStreamSteps<T>): AsyncGenerator<T> {
  const response = await steps.open();
  try {
    yield* steps.decode(response);
  } catch (error) {
    throw steps.bodyError(error);
  } finally {
    // A consumer that stops early must not leave the connection half-read.
    if (!response.body.readableEnded) response.body.destroy();
  }
}
