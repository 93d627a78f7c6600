/**
 * CounterStore on Redis: every operation is ONE Lua script, so limits, budgets and concurrency slots
 * stay exact however many gateway nodes share the server. Keys carry a {hash tag} so each operation's
 * keys land in one Redis Cluster slot.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
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
import {
  ACQUIRE_SCRIPT,
  BALANCE_SCRIPT,
  BUCKET_SCRIPT,
  HIT_SCRIPT,
  RELEASE_SCRIPT,
  RESERVE_SCRIPT,
  SETTLE_SCRIPT,
} from './counter-scripts.js';
import { integerReply, luaScript, runScript } from './run-script.js';

const SCRIPTS = {
  hit: luaScript(HIT_SCRIPT, 1),
  bucket: luaScript(BUCKET_SCRIPT, 1),
  reserve: luaScript(RESERVE_SCRIPT, 2),
  settle: luaScript(SETTLE_SCRIPT, 2),
  release: luaScript(RELEASE_SCRIPT, 2),
  balance: luaScript(BALANCE_SCRIPT, 2),
  acquire: luaScript(ACQUIRE_SCRIPT, 1),
};

export interface RedisCounterStoreOptions {
  /** Prepended to every key, e.g. "junction:". */
  keyPrefix?: string;
  /** Whether close() quits the connection (false when the client is shared). */
  ownsClient?: boolean;
}

export class RedisCounterStore implements CounterStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisCounterStoreOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? 'junction:';
  }

  async hit(
    key: string,
    windowMs: number,
    limit: number,
    cost: number,
    now: number,
    options?: ForceOption,
  ): Promise<HitResult> {
    const reply = await runScript(
      this.redis,
      SCRIPTS.hit,
      [this.key('w', key)],
      [windowMs, limit, cost, now, options?.force ? '1' : '0'],
    );
    return hitResult(integerReply(reply, 4));
  }

  async tokenBucket(
    key: string,
    capacity: number,
    refillPerSec: number,
    cost: number,
    now: number,
    options?: ForceOption,
  ): Promise<HitResult> {
    const reply = await runScript(
      this.redis,
      SCRIPTS.bucket,
      [this.key('b', key)],
      [capacity, refillPerSec, cost, now, options?.force ? '1' : '0'],
    );
    return hitResult(integerReply(reply, 4));
  }

  async reserve(
    key: string,
    amount: number,
    limit: number,
    ttlMs: number,
    options: ReserveOptions = {},
  ): Promise<ReserveResult> {
    assertIntegerAmount('amount', amount);
    const reservationId = randomUUID();
    const reply = await runScript(this.redis, SCRIPTS.reserve, this.tallyKeys(key), [
      amount,
      limit,
      ttlMs,
      options.now ?? Date.now(),
      reservationId,
      options.keyTtlMs === undefined ? '' : Math.ceil(options.keyTtlMs),
    ]);
    const [ok, remaining, retryAfterMs] = integerReply(reply, 3) as [number, number, number];
    if (ok === 1) return { ok: true, reservationId, remaining };
    return { ok: false, remaining, ...(retryAfterMs >= 0 ? { retryAfterMs } : {}) };
  }

  async settle(
    key: string,
    reservationId: string,
    actualAmount: number,
    options: Pick<ReserveOptions, 'keyTtlMs'> = {},
  ): Promise<SettleResult> {
    assertIntegerAmount('actualAmount', actualAmount);
    const reply = await runScript(this.redis, SCRIPTS.settle, this.tallyKeys(key), [
      reservationId,
      actualAmount,
      options.keyTtlMs === undefined ? '' : Math.ceil(options.keyTtlMs),
    ]);
    return { found: reply === 1 };
  }

  async release(key: string, reservationId: string): Promise<void> {
    await runScript(this.redis, SCRIPTS.release, this.tallyKeys(key), [reservationId]);
  }

  async balance(key: string, now = Date.now()): Promise<CounterBalance> {
    const reply = await runScript(this.redis, SCRIPTS.balance, this.tallyKeys(key), [now]);
    const [used, held] = integerReply(reply, 2) as [number, number];
    return { used, held };
  }

  async incrementConcurrency(
    key: string,
    limit: number,
    leaseMs: number,
    now = Date.now(),
  ): Promise<ConcurrencyResult> {
    const leaseId = randomUUID();
    const reply = await runScript(
      this.redis,
      SCRIPTS.acquire,
      [this.key('c', key)],
      [limit, leaseMs, now, leaseId],
    );
    const [allowed, active] = integerReply(reply, 2) as [number, number];
    return allowed === 1 ? { allowed: true, leaseId, active } : { allowed: false, active };
  }

  async decrementConcurrency(key: string, leaseId: string): Promise<void> {
    await this.redis.zrem(this.key('c', key), leaseId);
  }

  async close(): Promise<void> {
    if (this.options.ownsClient !== false) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(kind: string, key: string): string {
    return `${this.prefix}${kind}:{${key}}`;
  }

  private tallyKeys(key: string): string[] {
    return [this.key('r', key), this.key('rh', key)];
  }
}

function hitResult(reply: number[]): HitResult {
  const [allowed, remaining, reset, retry] = reply as [number, number, number, number];
  return {
    allowed: allowed === 1,
    remaining,
    resetMs: reset < 0 ? Number.POSITIVE_INFINITY : reset,
    retryAfterMs: retry < 0 ? Number.POSITIVE_INFINITY : retry,
  };
}
