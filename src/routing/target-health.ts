/**
 * Node-local live state of one target: its breaker, requests in flight and an EWMA of time to first
 * byte. Strategies read it to order targets; the admin API reports it.
 */
import type { BreakerOptions, BreakerSnapshot } from './circuit-breaker.js';
import { CircuitBreaker } from './circuit-breaker.js';

/** Weight of the newest sample in the latency average: a few slow answers move it, one does not. */
const EWMA_ALPHA = 0.3;

export interface TargetHealthSnapshot {
  target: string;
  inFlight: number;
  ewmaTtfbMs?: number;
  breaker: BreakerSnapshot;
  lastError?: { at: string; status: number; failureClass: string };
}

export class TargetHealth {
  readonly breaker: CircuitBreaker;
  inFlight = 0;
  ewmaTtfbMs: number | undefined;
  private lastError: TargetHealthSnapshot['lastError'];

  constructor(
    readonly label: string,
    breakerOptions?: BreakerOptions,
    now?: () => number,
  ) {
    this.breaker = new CircuitBreaker(breakerOptions, now);
  }

  recordTtfb(ms: number): void {
    this.ewmaTtfbMs =
      this.ewmaTtfbMs === undefined ? ms : EWMA_ALPHA * ms + (1 - EWMA_ALPHA) * this.ewmaTtfbMs;
  }

  recordSuccess(): void {
    this.breaker.recordSuccess();
  }

  recordFailure(status: number, failureClass: string): void {
    this.breaker.recordFailure();
    this.lastError = { at: new Date().toISOString(), status, failureClass };
  }

  snapshot(): TargetHealthSnapshot {
    return {
      target: this.label,
      inFlight: this.inFlight,
      ...(this.ewmaTtfbMs === undefined ? {} : { ewmaTtfbMs: Math.round(this.ewmaTtfbMs * 10) / 10 }),
      breaker: this.breaker.snapshot(),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }
}

/**
 * One TargetHealth per `provider/model`, created on first use. Clients may name any model of a configured
 * provider, so the registry is bounded: beyond `maxTargets` the least recently used entry is dropped
 * (alias targets are pinned and never dropped), and a long-running node cannot grow without limit.
 */
export class HealthRegistry {
  private readonly targets = new Map<string, TargetHealth>();
  private readonly pinned = new Set<string>();

  constructor(
    private readonly breakerOptions?: BreakerOptions,
    private readonly now?: () => number,
    private readonly maxTargets = 10_000,
  ) {}

  /** Keeps a target's state for the life of the process (configured alias targets). */
  pin(label: string): void {
    this.pinned.add(label);
  }

  get(label: string): TargetHealth {
    let health = this.targets.get(label);
    if (health) {
      if (!this.pinned.has(label)) {
        // Re-inserting moves the entry to the end of the map's order: most recently used.
        this.targets.delete(label);
        this.targets.set(label, health);
      }
      return health;
    }
    health = new TargetHealth(label, this.breakerOptions, this.now);
    this.targets.set(label, health);
    if (this.targets.size > this.maxTargets) this.evictOne();
    return health;
  }

  get size(): number {
    return this.targets.size;
  }

  snapshot(): TargetHealthSnapshot[] {
    return [...this.targets.values()].map((health) => health.snapshot());
  }

  private evictOne(): void {
    for (const [label, health] of this.targets) {
      // Never drop a pinned target or one with requests in flight: their state is live.
      if (this.pinned.has(label) || health.inFlight > 0) continue;
      this.targets.delete(label);
      return;
    }
  }
}
