/**
 * What is running now, so a shutdown can let it finish and, once its grace is over, end it: generation
 * requests by their abort controllers (an abort cancels the upstream call and closes the answer with the
 * dialect's error), and open WebSocket-mode sockets, which are told to close once their current turn ends.
 */

/** An open socket as shutdown sees it. */
export interface DrainableSocket {
  /** Take no new turns; close (1001) once the running turn, if any, has ended. */
  drain(): void;
  /** Close now. */
  close(): void;
}

export class InFlightRequests {
  private readonly running = new Set<AbortController>();
  private readonly sockets = new Set<DrainableSocket>();
  private readonly socketsGone = new Set<() => void>();

  add(controller: AbortController): void {
    this.running.add(controller);
  }

  delete(controller: AbortController): void {
    this.running.delete(controller);
  }

  get size(): number {
    return this.running.size;
  }

  abortAll(reason: Error): void {
    for (const controller of this.running) controller.abort(reason);
  }

  addSocket(socket: DrainableSocket): void {
    this.sockets.add(socket);
  }

  deleteSocket(socket: DrainableSocket): void {
    this.sockets.delete(socket);
    if (this.sockets.size === 0) for (const gone of this.socketsGone) gone();
  }

  /** Asks every open socket to close after its turn; resolves once all have closed. */
  drainSockets(): Promise<void> {
    if (this.sockets.size === 0) return Promise.resolve();
    const gone = new Promise<void>((resolve) => {
      const done = (): void => {
        this.socketsGone.delete(done);
        resolve();
      };
      this.socketsGone.add(done);
    });
    for (const socket of this.sockets) socket.drain();
    return gone;
  }

  closeSockets(): void {
    for (const socket of this.sockets) socket.close();
  }
}
