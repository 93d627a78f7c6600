/**
 * Bounds requests in flight to one provider. Beyond the limit, callers wait in a bounded FIFO queue for
 * at most `queueTimeoutMs`; a full queue or a timed-out wait is a 503 with Retry-After, which tells the
 * client (and a fallback chain) to go elsewhere instead of piling on.
 */
import type { Cancellation } from '../core/cancellation.js';
import { GatewayError } from '../core/errors.js';

export interface ConcurrencyOptions {
  maxConcurrent: number;
  /** Waiting callers beyond which new ones are refused at once. */
  maxQueue: number;
  queueTimeoutMs: number;
}

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class ConcurrencyLimiter {
  private active = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    private readonly provider: string,
    private readonly options: ConcurrencyOptions,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Resolves with a release function once a slot is held. Call release exactly once. */
  acquire(cancel: Cancellation): Promise<() => void> {
    if (this.active < this.options.maxConcurrent) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.queue.length >= this.options.maxQueue) return Promise.reject(this.busy('queue is full'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.remove(waiter);
          reject(this.busy(`no slot within ${this.options.queueTimeoutMs} ms`));
        }, this.options.queueTimeoutMs),
      };
      this.queue.push(waiter);
      cancel.onAbort((reason) => {
        if (this.remove(waiter)) {
          clearTimeout(waiter.timer);
          // A reason of the gateway's own (a shutdown's retryable 503) is what the client should hear;
          // otherwise the client went away (or a deadline passed, which the router renames).
          reject(
            reason instanceof GatewayError
              ? reason
              : new GatewayError('timeout', 'Request aborted while queued', { status: 499 }),
          );
        }
      });
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) {
        clearTimeout(next.timer);
        next.resolve(this.releaser());
      } else {
        this.active -= 1;
      }
    };
  }

  private remove(waiter: Waiter): boolean {
    const index = this.queue.indexOf(waiter);
    if (index < 0) return false;
    this.queue.splice(index, 1);
    return true;
  }

  private busy(reason: string): GatewayError {
    return new GatewayError(
      'overloaded',
      `Provider ${this.provider} is at its concurrency limit (${this.options.maxConcurrent}): ${reason}`,
      {
        status: 503,
        retryAfterMs: 1_000,
        provider: this.provider,
        code: 'concurrency_limit',
      },
    );
  }
}
