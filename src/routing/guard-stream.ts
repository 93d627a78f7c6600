/**
 * Deadlines on an upstream event stream: the first event must arrive within `firstByteMs`, and no gap
 * between later events may exceed `idleMs`. A missed deadline aborts the attempt (cancelling the upstream
 * request) and surfaces as a `timeout` GatewayError, so a stalled provider is failed over or reported
 * instead of hanging the client.
 */
import type { CanonicalEvent } from '../core/canonical-events.js';
import { GatewayError } from '../core/errors.js';

export interface StreamDeadlines {
  firstByteMs?: number;
  idleMs?: number;
}

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

/** Wraps the rest of a stream (after its first event) with the idle deadline. */
export function withIdleTimeout(
  iterator: AsyncIterator<CanonicalEvent>,
  idleMs: number | undefined,
  abort: () => void,
  provider: string,
): AsyncIterator<CanonicalEvent> {
  if (idleMs === undefined || idleMs <= 0) return iterator;
  return {
    next: () => nextWithin(iterator, idleMs, abort, `Upstream ${provider} sent nothing`),
    return: async (value?: unknown) => iterator.return?.(value) ?? { done: true, value: undefined },
  };
}
