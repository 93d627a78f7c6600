/**
 * The generation requests running now, by their abort controllers, so a shutdown whose grace is over can
 * end them: each then cancels its upstream call and closes its answer with the dialect's error.
 */
export class InFlightRequests {
  private readonly running = new Set<AbortController>();

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
}
