/**
 * Cancellation of a request or of one upstream attempt: the client went away, a deadline passed, or the
 * gateway is shutting down. It is not an AbortController: on Node 20 one AbortController per request,
 * plus the EventTarget listener linking it to each attempt's, measured 13 % of a relayed request's CPU
 * (bench/compare-builds.mjs). It is an EventEmitter with `aborted` and `reason`; the upstream call
 * (sendUpstream) listens to it directly, so no AbortSignal is made on the request path at all.
 */
import { EventEmitter } from 'node:events';

export class Cancellation extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  /** A cancellation that aborts by itself after `ms` with a TimeoutError, as AbortSignal.timeout does. */
  static timeout(ms: number): Cancellation {
    const cancel = new Cancellation();
    const timer = setTimeout(
      () => cancel.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      ms,
    );
    // Like AbortSignal.timeout's timer, it does not hold the process open.
    timer.unref();
    return cancel;
  }

  /** Aborts once; later calls do nothing. The default reason is what AbortController#abort gives. */
  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort', reason);
  }

  /**
   * Calls `listener` with the reason when this aborts (at once if it already has). Returns the removal,
   * which a caller makes when it no longer cares, so a long-lived cancellation keeps no stale listeners.
   */
  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.aborted) {
      listener(this.reason);
      return noop;
    }
    this.once('abort', listener);
    return () => {
      this.removeListener('abort', listener);
    };
  }

  /** A cancellation that aborts with this one and can also abort alone; `unlink` when it is done. */
  child(): { cancel: Cancellation; unlink: () => void } {
    const cancel = new Cancellation();
    const unlink = this.onAbort((reason) => cancel.abort(reason));
    return { cancel, unlink };
  }

  /** Aborts this when `signal` aborts; returns the unlinking, for when the work is done. */
  follow(signal: AbortSignal): () => void {
    if (signal.aborted) {
      this.abort(signal.reason);
      return noop;
    }
    const onAbort = (): void => this.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  }
}

function noop(): void {}
