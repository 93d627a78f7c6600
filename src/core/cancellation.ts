/**
 * A request's cancellation: the client went away, the request's deadline passed, or the gateway is
 * shutting down. It is not an AbortController because on Node 20 one AbortController per request, plus
 * the EventTarget listener that links it to each attempt's controller, measured 12 % of a relayed
 * request's CPU (bench/compare-builds.mjs). Here listeners are a plain array. A real AbortSignal is made
 * only for the rare consumer that needs one (a retry's backoff sleep).
 */
export class Cancellation {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<(reason: unknown) => void> | undefined;
  private controller: AbortController | undefined;

  /** Aborts once; later calls do nothing. The default reason is what AbortController#abort gives. */
  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    this.controller?.abort(reason);
    if (listeners) for (const listener of listeners) listener(reason);
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
    const listeners = this.listeners ?? [];
    this.listeners = listeners;
    listeners.push(listener);
    return () => {
      const at = this.listeners?.indexOf(listener) ?? -1;
      if (at !== -1) this.listeners!.splice(at, 1);
    };
  }

  /** A cancellation that aborts with this one, and can also abort alone (a deadline of its own). */
  child(): Cancellation {
    const child = new Cancellation();
    const unlink = this.onAbort((reason) => child.abort(reason));
    child.onAbort(unlink);
    return child;
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

  /** An AbortSignal that aborts with this; made on first use. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }
}

function noop(): void {}
