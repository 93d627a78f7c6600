/**
 * Single-node CounterStore: exact, no I/O. Memory stays bounded because expired windows, buckets,
 * reservations and leases are swept (on a timer and every few thousand operations).
 */
import { randomUUID } from 'node:crypto';
import {
  assertIntegerAmount,
  type ConcurrencyResult,
  type CounterBalance,
  type CounterStore,
  type ForceOption,
  type HitResult,
  type ReserveOptions,
  type ReserveResult,
  type SettleResult,
} from '../counter-store.js';
import { slideWindow, type WindowState } from '../sliding-window.js';
import { type BucketState, bucketTtlMs, takeFromBucket } from '../token-bucket.js';

interface Expiring {
  expiresAt: number;
}
interface Hold {
  amount: number;
  expiresAt: number;
}
interface Tally {
  used: number;
  holds: Map<string, Hold>;
  /** Whole-counter expiry (period end); Infinity for counters that never expire. */
  expiresAt: number;
}

export interface MemoryCounterStoreOptions {
  sweepIntervalMs?: number;
}

const SWEEP_EVERY_OPS = 4096;

export class MemoryCounterStore implements CounterStore {
  private readonly windows = new Map<string, WindowState & Expiring>();
  private readonly buckets = new Map<string, BucketState & Expiring>();
  private readonly tallies = new Map<string, Tally>();
  private readonly leases = new Map<string, Map<string, number>>();
  /** Latest logical time seen: sweeping by it keeps tests with a fake clock deterministic. */
  private latestNow = 0;
  private ops = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(options: MemoryCounterStoreOptions = {}) {
    this.timer = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 30_000);
    this.timer.unref();
  }

  async hit(
    key: string,
    windowMs: number,
    limit: number,
    cost: number,
    now: number,
    options?: ForceOption,
  ): Promise<HitResult> {
    this.tick(now);
    const step = slideWindow(this.live(this.windows, key, now), windowMs, limit, cost, now, options?.force);
    this.windows.set(key, { ...step.state, expiresAt: (step.state.bucket + 2) * windowMs });
    return step.result;
  }

  async tokenBucket(
    key: string,
    capacity: number,
    refillPerSec: number,
    cost: number,
    now: number,
    options?: ForceOption,
  ): Promise<HitResult> {
    this.tick(now);
    const step = takeFromBucket(
      this.live(this.buckets, key, now),
      capacity,
      refillPerSec,
      cost,
      now,
      options?.force,
    );
    const expiresAt = step.state.at + bucketTtlMs(capacity, refillPerSec, step.state.tokens);
    this.buckets.set(key, { ...step.state, expiresAt });
    return step.result;
  }

  async reserve(
    key: string,
    amount: number,
    limit: number,
    ttlMs: number,
    options: ReserveOptions = {},
  ): Promise<ReserveResult> {
    assertIntegerAmount('amount', amount);
    const now = options.now ?? Date.now();
    this.tick(now);
    const tally = this.tally(key, now);
    if (options.keyTtlMs !== undefined) tally.expiresAt = now + options.keyTtlMs;
    const held = heldAmount(tally);
    const total = tally.used + held;
    if (total >= limit || total + amount > limit) {
      let earliest = Number.POSITIVE_INFINITY;
      for (const hold of tally.holds.values()) earliest = Math.min(earliest, hold.expiresAt);
      return {
        ok: false,
        remaining: Math.max(0, limit - total),
        ...(Number.isFinite(earliest) ? { retryAfterMs: Math.max(1, earliest - now) } : {}),
      };
    }
    const reservationId = randomUUID();
    tally.holds.set(reservationId, { amount, expiresAt: now + ttlMs });
    this.tallies.set(key, tally);
    return { ok: true, reservationId, remaining: limit - total - amount };
  }

  async settle(
    key: string,
    reservationId: string,
    actualAmount: number,
    options: Pick<ReserveOptions, 'keyTtlMs'> = {},
  ): Promise<SettleResult> {
    assertIntegerAmount('actualAmount', actualAmount);
    const existing = this.tallies.get(key);
    const live = existing !== undefined && existing.expiresAt > this.latestNow;
    const tally = live
      ? existing
      : { used: 0, holds: new Map<string, Hold>(), expiresAt: Number.POSITIVE_INFINITY };
    const found = tally.holds.delete(reservationId);
    if (!live && options.keyTtlMs !== undefined) tally.expiresAt = this.latestNow + options.keyTtlMs;
    tally.used += actualAmount;
    this.tallies.set(key, tally);
    return { found };
  }

  async release(key: string, reservationId: string): Promise<void> {
    this.tallies.get(key)?.holds.delete(reservationId);
  }

  async balance(key: string, now = Date.now()): Promise<CounterBalance> {
    const tally = this.tally(key, now);
    return { used: tally.used, held: heldAmount(tally) };
  }

  async incrementConcurrency(
    key: string,
    limit: number,
    leaseMs: number,
    now = Date.now(),
  ): Promise<ConcurrencyResult> {
    this.tick(now);
    const leases = this.leases.get(key) ?? new Map<string, number>();
    for (const [id, expiresAt] of leases) if (expiresAt <= now) leases.delete(id);
    if (leases.size >= limit) return { allowed: false, active: leases.size };
    const leaseId = randomUUID();
    leases.set(leaseId, now + leaseMs);
    this.leases.set(key, leases);
    return { allowed: true, leaseId, active: leases.size };
  }

  async decrementConcurrency(key: string, leaseId: string): Promise<void> {
    const leases = this.leases.get(key);
    leases?.delete(leaseId);
    if (leases?.size === 0) this.leases.delete(key);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
  }

  /**
   * Every live budget counter's settled spend and expiry (Infinity: never), for a snapshot that outlives
   * the process. Held reservations are left out: they belong to requests that die with it.
   */
  forEachSpend(visit: (key: string, used: number, expiresAt: number) => void): void {
    for (const [key, tally] of this.tallies)
      if (tally.expiresAt > this.latestNow) visit(key, tally.used, tally.expiresAt);
  }

  /** Adds spend saved by an earlier process to a budget counter (created with this expiry if absent). */
  restoreSpend(key: string, used: number, expiresAt: number): void {
    assertIntegerAmount('used', used);
    const existing = this.tallies.get(key);
    if (existing && existing.expiresAt > this.latestNow) existing.used += used;
    else this.tallies.set(key, { used, holds: new Map(), expiresAt });
  }

  /** Number of live entries, so tests can prove the sweep bounds memory. */
  size(): number {
    return this.windows.size + this.buckets.size + this.tallies.size + this.leases.size;
  }

  /** Drops everything expired as of the latest time seen. */
  sweep(): void {
    const now = this.latestNow;
    for (const map of [this.windows, this.buckets]) {
      for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
    }
    for (const [key, tally] of this.tallies) {
      if (tally.expiresAt <= now) this.tallies.delete(key);
      else for (const [id, hold] of tally.holds) if (hold.expiresAt <= now) tally.holds.delete(id);
    }
    for (const [key, leases] of this.leases) {
      for (const [id, expiresAt] of leases) if (expiresAt <= now) leases.delete(id);
      if (leases.size === 0) this.leases.delete(key);
    }
  }

  private tick(now: number): void {
    if (now > this.latestNow) this.latestNow = now;
    this.ops += 1;
    if (this.ops % SWEEP_EVERY_OPS === 0) this.sweep();
  }

  private live<T extends Expiring>(map: Map<string, T>, key: string, now: number): T | undefined {
    const entry = map.get(key);
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  private tally(key: string, now: number): Tally {
    const existing = this.tallies.get(key);
    const tally =
      existing && existing.expiresAt > now
        ? existing
        : { used: 0, holds: new Map<string, Hold>(), expiresAt: Number.POSITIVE_INFINITY };
    for (const [id, hold] of tally.holds) if (hold.expiresAt <= now) tally.holds.delete(id);
    return tally;
  }
}

function heldAmount(tally: Tally): number {
  let held = 0;
  for (const hold of tally.holds.values()) held += hold.amount;
  return held;
}
