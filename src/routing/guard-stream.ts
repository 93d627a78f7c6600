/**
 * Deadlines on an upstream event stream: the router awaits the first event within `first_byte_timeout`
 * and each later one within `idle_timeout`. A missed deadline aborts the attempt (cancelling the upstream
 * request) and surfaces as a `timeout` GatewayError, so a stalled provider is failed over or reported
 * instead of hanging the client.
 */
import { GatewayError } from '../core/errors.js';

export async function nextWithin<T>(
  iterator: AsyncIterator<T>,
  ms: number | undefined,
  onTimeout: () => void,
  what: string,
): Promise<IteratorResult<T>> {
  if (ms === undefined || ms <= 0) return iterator.next();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new GatewayError('timeout', `${what} within ${ms} ms`, { status: 504 }));
    }, ms);
  });
  try {
    return await Promise.race([iterator.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
