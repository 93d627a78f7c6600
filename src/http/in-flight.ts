/**
 * What is running now, so a shutdown can let it finish and, once its grace is over, end it: generation
 * requests by their cancellations (an abort cancels the upstream call and closes the answer with the
 * dialect's error), and longer-lived work that drains on its own terms (WebSocket-mode sockets, background
 * Responses).
 */

export interface Drainable {
  /** Takes no new work; resolves once the running work has ended. */
  drain(): Promise<void>;
  /** Ends the running work now (the grace is over). */
  stop(): void;
}

/** A running generation request, as a shutdown ends it. */
export interface Abortable {
  abort(reason: Error): void;
}

export class InFlightRequests {
  /** Set when a shutdown begins: new requests are refused from then on. */
  draining = false;
  private readonly running = new Set<Abortable>();
  private readonly drainables = new Set<Drainable>();

  add(request: Abortable): void {
    this.running.add(request);
  }

  delete(request: Abortable): void {
    this.running.delete(request);
  }

  get size(): number {
    return this.running.size;
  }

  abortAll(reason: Error): void {
    for (const request of this.running) request.abort(reason);
  }

  addDrainable(drainable: Drainable): void {
    this.drainables.add(drainable);
  }

  deleteDrainable(drainable: Drainable): void {
    this.drainables.delete(drainable);
  }

  drainAll(): Promise<void> {
    return Promise.all([...this.drainables].map((drainable) => drainable.drain())).then(() => undefined);
  }

  stopAll(): void {
    for (const drainable of this.drainables) drainable.stop();
  }
}
