/**
 * Exponential backoff with full jitter (AWS architecture blog's "full jitter"), honouring the upstream's
 * Retry-After up to a cap so a provider asking for 10 minutes cannot park a request for 10 minutes.
 */
import type { Cancellation } from '../core/cancellation.js';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** The longest Retry-After we honour; beyond it we give up on this target instead of waiting. */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 200, maxMs: 5_000, maxRetryAfterMs: 30_000 };

/**
 * The delay before retry number `retry` (1-based). `retryAfterMs` from the upstream wins when present;
 * undefined means "do not retry this target" (it asked for longer than we are willing to wait).
 */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs <= options.maxRetryAfterMs ? retryAfterMs : undefined;
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Resolves after `ms`, or rejects early when the request is cancelled. */
export function sleep(ms: number, cancel: Cancellation): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stopWaiting();
      resolve();
    }, ms);
    const stopWaiting = cancel.onAbort((reason: unknown) => {
      clearTimeout(timer);
      reject(reason instanceof Error ? reason : new Error('aborted'));
    });
  });
}
