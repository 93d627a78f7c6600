/**
 * Deadlines on an upstream event stream: the router awaits the first event within `first_byte_timeout`
 * and each later one within `idle_timeout`. A missed deadline aborts the attempt (cancelling the upstream
 * request) and surfaces as a `timeout` GatewayError, so a stalled provider is failed over or reported
 * instead of hanging the client.
 */
import { GatewayError } from '../core/errors.js';

/**
 * `promise`, or a `timeout` GatewayError ("<what> within <ms> ms") if it takes longer than `ms`, in which
 * case `onTimeout` runs first (to abort the attempt). No deadline when `ms` is undefined or not positive.
 */
export function settleWithin<T>(
  promise: Promise<T>,
  ms: number | undefined,
  onTimeout: () => void,
  what: string,
): Promise<T> {
  // Without a deadline the promise itself, not an async wrapper: this runs once per relayed chunk.
  return ms === undefined || ms <= 0 ? promise : raceDeadline(promise, ms, onTimeout, what);
}

async function raceDeadline<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => void,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new GatewayError('timeout', `${what} within ${ms} ms`, { status: 504 }));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The next event of a stream, under a deadline (see settleWithin). */
export function nextWithin<T>(
  iterator: AsyncIterator<T>,
  ms: number | undefined,
  onTimeout: () => void,
  what: string,
): Promise<IteratorResult<T>> {
  return settleWithin(iterator.next(), ms, onTimeout, what);
}
