/**
 * A node-local circuit breaker per target. It opens after `consecutiveFailures` failures in a row, or when
 * the failure rate over the last `windowMs` exceeds `failureRateThreshold` (with at least `minRequests`
 * samples); while open, planning skips the target; after `cooldownMs` one probe is let through
 * (half-open) and its outcome closes or re-opens the circuit. No shared state: each node learns alone,
 * which keeps the request path free of coordination.
 */
export interface BreakerOptions {
  consecutiveFailures: number;
  failureRateThreshold: number;
  minRequests: number;
  windowMs: number;
  cooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = {
  consecutiveFailures: 5,
  failureRateThreshold: 0.5,
  minRequests: 20,
  windowMs: 60_000,
  cooldownMs: 30_000,
};

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  windowRequests: number;
  windowFailures: number;
  errorRate: number;
  openedAt?: number;
}

/** Outcomes are kept in one-second buckets so the window costs O(window seconds), not O(requests). */
interface Bucket {
  second: number;
  requests: number;
  failures: number;
}

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private consecutive = 0;
  private openedAt = 0;
  private probeInFlight = false;
  private readonly buckets: Bucket[] = [];

  constructor(
    private readonly options: BreakerOptions = DEFAULT_BREAKER,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a request may go to this target now; in half-open state only one probe is allowed. */
  allowRequest(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (this.now() - this.openedAt < this.options.cooldownMs) return false;
      this.state = 'half-open';
      this.probeInFlight = false;
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  /** Whether planning should consider this target (does not claim the half-open probe). */
  isAvailable(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') return this.now() - this.openedAt >= this.options.cooldownMs;
    return !this.probeInFlight;
  }

  /**
   * The attempt ended with an outcome that says nothing about the target (a client error, the client gone,
   * the gateway's own refusal): a half-open probe it held is handed back, so the next request probes.
   * Without this the circuit would stay half-open with its probe "in flight" forever.
   */
  releaseProbe(): void {
    if (this.state === 'half-open') this.probeInFlight = false;
  }

  recordSuccess(): void {
    this.record(false);
    this.consecutive = 0;
    if (this.state !== 'closed') {
      this.state = 'closed';
      this.probeInFlight = false;
      this.buckets.length = 0;
    }
  }

  recordFailure(): void {
    this.record(true);
    this.consecutive += 1;
    if (this.state === 'half-open') {
      this.open();
      return;
    }
    if (
      this.state === 'closed' &&
      (this.consecutive >= this.options.consecutiveFailures || this.rateExceeded())
    )
      this.open();
  }

  snapshot(): BreakerSnapshot {
    const { requests, failures } = this.windowTotals();
    if (this.state === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) {
      // Reported as half-open once the cooldown has passed, even before the probe arrives.
      return {
        state: 'half-open',
        consecutiveFailures: this.consecutive,
        windowRequests: requests,
        windowFailures: failures,
        errorRate: rate(failures, requests),
        openedAt: this.openedAt,
      };
    }
    return {
      state: this.state,
      consecutiveFailures: this.consecutive,
      windowRequests: requests,
      windowFailures: failures,
      errorRate: rate(failures, requests),
      ...(this.state === 'closed' ? {} : { openedAt: this.openedAt }),
    };
  }

  private open(): void {
    this.state = 'open';
    this.openedAt = this.now();
    this.probeInFlight = false;
  }

  private rateExceeded(): boolean {
    const { requests, failures } = this.windowTotals();
    return requests >= this.options.minRequests && failures / requests > this.options.failureRateThreshold;
  }

  private record(failed: boolean): void {
    const second = Math.floor(this.now() / 1000);
    let bucket = this.buckets.at(-1);
    if (!bucket || bucket.second !== second) {
      bucket = { second, requests: 0, failures: 0 };
      this.buckets.push(bucket);
    }
    bucket.requests += 1;
    if (failed) bucket.failures += 1;
    this.prune();
  }

  private windowTotals(): { requests: number; failures: number } {
    this.prune();
    let requests = 0;
    let failures = 0;
    for (const bucket of this.buckets) {
      requests += bucket.requests;
      failures += bucket.failures;
    }
    return { requests, failures };
  }

  private prune(): void {
    const oldest = Math.floor((this.now() - this.options.windowMs) / 1000);
    while (this.buckets.length > 0 && this.buckets[0]!.second <= oldest) this.buckets.shift();
  }
}

function rate(failures: number, requests: number): number {
  return requests === 0 ? 0 : failures / requests;
}
