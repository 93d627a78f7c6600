/**
 * The one behaviour every CounterStore backend must show. Backends run it from their own test file
 * with a factory that opens `nodes` stores sharing one state (several connections for Redis, to mimic
 * several gateway nodes). Every test uses fresh keys, so backends need no reset between tests.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { CounterStore } from './counter-store.js';

export interface CounterStoreHarness {
  /** Opens `count` stores over the same shared state. */
  open(count: number): Promise<CounterStore[]>;
  /** Closes what open() created and deletes what the tests wrote. */
  cleanup(): Promise<void>;
}

const T0 = 1_700_000_000_000; // a bucket boundary for 1000 ms windows

export function counterStoreContract(name: string, harness: CounterStoreHarness): void {
  const key = (label: string): string => `${label}:${randomUUID()}`;
  const one = async (): Promise<CounterStore> => (await harness.open(1))[0]!;

  describe(`${name}: CounterStore contract`, () => {
    afterAll(() => harness.cleanup());

    describe('hit (two-bucket sliding window)', () => {
      it('admits up to the limit, then denies with the wait until the cost fits', async () => {
        const store = await one();
        const k = key('hit');
        const results = [];
        for (let i = 0; i < 4; i++) results.push(await store.hit(k, 1000, 3, 1, T0 + 10));
        expect(results.map((r) => [r.allowed, r.remaining])).toEqual([
          [true, 2],
          [true, 1],
          [true, 0],
          [false, 0],
        ]);
        // Full until rollover at T0+1000; then 3 * (1000 - e)/1000 + 1 <= 3 needs e >= 334.
        expect(results[3]!.retryAfterMs).toBe(1324);
        expect(results[3]!.resetMs).toBe(1324);
        expect(results[0]!.resetMs).toBe(990);
        expect(results[0]!.retryAfterMs).toBe(0);
      });

      it('weights the previous bucket by its remaining overlap', async () => {
        const store = await one();
        const k = key('slide');
        expect((await store.hit(k, 1000, 10, 10, T0)).allowed).toBe(true);
        // Half way through the next bucket the previous 10 count as 5.
        const half = await store.hit(k, 1000, 10, 5, T0 + 1500);
        expect(half).toMatchObject({ allowed: true, remaining: 0 });
        const denied = await store.hit(k, 1000, 10, 1, T0 + 1500);
        // 10 * (500 - t)/1000 + 5 + 1 <= 10 once t >= 100.
        expect(denied).toMatchObject({ allowed: false, retryAfterMs: 100 });
        expect((await store.hit(k, 1000, 10, 1, T0 + 1600)).allowed).toBe(true);
      });

      it('does not count denied hits and forgets everything after two windows', async () => {
        const store = await one();
        const k = key('forget');
        await store.hit(k, 1000, 2, 2, T0);
        for (let i = 0; i < 5; i++) expect((await store.hit(k, 1000, 2, 1, T0 + 100)).allowed).toBe(false);
        // Denied hits added nothing: at T0+1000 only the decaying 2 from the first bucket remain.
        expect(await store.hit(k, 1000, 2, 1, T0 + 1500)).toMatchObject({ allowed: true, remaining: 0 });
        expect(await store.hit(k, 1000, 2, 2, T0 + 3000)).toMatchObject({ allowed: true, remaining: 0 });
      });

      it('reports an unsatisfiable cost as an infinite wait', async () => {
        const store = await one();
        const result = await store.hit(key('huge'), 1000, 5, 6, T0);
        expect(result.allowed).toBe(false);
        expect(result.retryAfterMs).toBe(Number.POSITIVE_INFINITY);
      });

      it('applies forced corrections, never below zero', async () => {
        const store = await one();
        const k = key('force');
        await store.hit(k, 60_000, 100, 80, T0);
        expect(await store.hit(k, 60_000, 100, -50, T0 + 1, { force: true })).toMatchObject({
          allowed: true,
        });
        expect(await store.hit(k, 60_000, 100, 70, T0 + 2)).toMatchObject({ allowed: true, remaining: 0 });
        await store.hit(k, 60_000, 100, -1000, T0 + 3, { force: true });
        expect(await store.hit(k, 60_000, 100, 100, T0 + 4)).toMatchObject({ allowed: true, remaining: 0 });
        // A positive correction may overshoot the limit: the next hit waits.
        await store.hit(k, 60_000, 100, 30, T0 + 5, { force: true });
        expect((await store.hit(k, 60_000, 100, 1, T0 + 6)).allowed).toBe(false);
      });

      it('applies a correction dated in an earlier bucket to that bucket, never to the current one', async () => {
        const store = await one();
        const k = key('late-force');
        await store.hit(k, 1000, 100, 80, T0 + 900);
        expect(await store.hit(k, 1000, 100, 10, T0 + 1500)).toMatchObject({ allowed: true, remaining: 50 });
        // The 80 counted in the first bucket turn out to be 20: the previous bucket holds 20, the current 10.
        await store.hit(k, 1000, 100, -60, T0 + 900, { force: true });
        expect(await store.hit(k, 1000, 100, 80, T0 + 1500)).toMatchObject({ allowed: true, remaining: 0 });
        // A correction older than the previous bucket no longer counts anywhere.
        await store.hit(k, 1000, 100, -50, T0 - 500, { force: true });
        expect((await store.hit(k, 1000, 100, 1, T0 + 1500)).allowed).toBe(false);
      });
    });

    describe('tokenBucket', () => {
      it('spends the burst, then refills continuously', async () => {
        const store = await one();
        const k = key('bucket');
        for (let i = 0; i < 5; i++) expect((await store.tokenBucket(k, 5, 2, 1, T0)).remaining).toBe(4 - i);
        const denied = await store.tokenBucket(k, 5, 2, 1, T0);
        expect(denied).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 500, resetMs: 2500 });
        expect((await store.tokenBucket(k, 5, 2, 1, T0 + 499)).allowed).toBe(false);
        expect(await store.tokenBucket(k, 5, 2, 1, T0 + 500 + 499)).toMatchObject({
          allowed: true,
          remaining: 0,
        });
        expect(await store.tokenBucket(k, 5, 2, 1, T0 + 10_000)).toMatchObject({
          allowed: true,
          remaining: 4,
        });
      });

      it('lets a forced cost run into debt that later refills pay back', async () => {
        const store = await one();
        const k = key('debt');
        await store.tokenBucket(k, 10, 1, 10, T0 + 0, { force: true });
        await store.tokenBucket(k, 10, 1, 5, T0, { force: true });
        const denied = await store.tokenBucket(k, 10, 1, 1, T0);
        expect(denied).toMatchObject({ allowed: false, retryAfterMs: 6000, resetMs: 15_000 });
        expect(await store.tokenBucket(k, 10, 1, 1, T0 + 6000)).toMatchObject({
          allowed: true,
          remaining: 0,
        });
        expect((await store.tokenBucket(k, 10, 1, 11, T0)).retryAfterMs).toBe(Number.POSITIVE_INFINITY);
      });
    });

    describe('reservations', () => {
      it('holds, settles to the actual amount and releases', async () => {
        const store = await one();
        const k = key('budget');
        const a = await store.reserve(k, 40, 100, 60_000, { now: T0 });
        const b = await store.reserve(k, 50, 100, 60_000, { now: T0 });
        expect(a).toMatchObject({ ok: true, remaining: 60 });
        expect(b).toMatchObject({ ok: true, remaining: 10 });
        expect(await store.reserve(k, 11, 100, 60_000, { now: T0 })).toMatchObject({
          ok: false,
          remaining: 10,
        });
        expect(await store.balance(k, T0)).toEqual({ used: 0, held: 90 });
        if (!a.ok || !b.ok) throw new Error('unreachable');
        expect(await store.settle(k, a.reservationId, 25)).toEqual({ found: true });
        await store.release(k, b.reservationId);
        await store.release(k, b.reservationId); // idempotent
        expect(await store.balance(k, T0)).toEqual({ used: 25, held: 0 });
        expect(await store.reserve(k, 75, 100, 60_000, { now: T0 })).toMatchObject({
          ok: true,
          remaining: 0,
        });
        // Exactly at the limit nothing more fits, not even a zero-cost (unpriced) request.
        expect(await store.reserve(k, 0, 100, 60_000, { now: T0 })).toMatchObject({
          ok: false,
          remaining: 0,
        });
      });

      it('expires holds of crashed callers and says when the first one lapses', async () => {
        const store = await one();
        const k = key('crash');
        await store.reserve(k, 60, 100, 5000, { now: T0 });
        await store.reserve(k, 30, 100, 8000, { now: T0 + 1000 });
        expect(await store.reserve(k, 20, 100, 5000, { now: T0 + 2000 })).toEqual({
          ok: false,
          remaining: 10,
          retryAfterMs: 3000,
        });
        expect(await store.reserve(k, 20, 100, 5000, { now: T0 + 5000 })).toMatchObject({
          ok: true,
          remaining: 50,
        });
        expect(await store.balance(k, T0 + 9000)).toEqual({ used: 0, held: 20 });
      });

      it('records the actual spend even when the reservation already lapsed', async () => {
        const store = await one();
        const k = key('late');
        const hold = await store.reserve(k, 10, 100, 1000, { now: T0 });
        if (!hold.ok) throw new Error('unreachable');
        await store.reserve(k, 1, 100, 1000, { now: T0 + 5000 }); // prunes the lapsed hold
        expect(await store.settle(k, hold.reservationId, 12)).toEqual({ found: false });
        expect(await store.balance(k, T0 + 5000)).toEqual({ used: 12, held: 1 });
      });

      it('denies a spent budget with no retry hint (it frees only when the period ends)', async () => {
        const store = await one();
        const k = key('spent');
        const hold = await store.reserve(k, 10, 10, 1000, { now: T0 });
        if (!hold.ok) throw new Error('unreachable');
        await store.settle(k, hold.reservationId, 10);
        expect(await store.reserve(k, 1, 10, 1000, { now: T0 })).toEqual({ ok: false, remaining: 0 });
      });

      it('forgets the whole counter after keyTtlMs (the period end)', async () => {
        const store = await one();
        const k = key('period');
        const hold = await store.reserve(k, 5, 10, 60_000, { keyTtlMs: 150 });
        if (!hold.ok) throw new Error('unreachable');
        await store.settle(k, hold.reservationId, 9);
        expect(await store.balance(k)).toEqual({ used: 9, held: 0 });
        await new Promise((resolve) => setTimeout(resolve, 250));
        expect(await store.balance(k)).toEqual({ used: 0, held: 0 });
        expect(await store.reserve(k, 10, 10, 60_000)).toMatchObject({ ok: true, remaining: 0 });
      });

      it('rejects non-integer amounts', async () => {
        const store = await one();
        await expect(store.reserve(key('float'), 0.5, 10, 1000)).rejects.toThrow(RangeError);
        await expect(store.settle(key('float'), 'x', 1.5)).rejects.toThrow(RangeError);
      });
    });

    describe('concurrency slots', () => {
      it('admits up to the limit and frees a slot on decrement or lease expiry', async () => {
        const store = await one();
        const k = key('conc');
        const first = await store.incrementConcurrency(k, 2, 10_000, T0);
        const second = await store.incrementConcurrency(k, 2, 5_000, T0);
        expect([first.active, second.active]).toEqual([1, 2]);
        expect(await store.incrementConcurrency(k, 2, 10_000, T0)).toEqual({ allowed: false, active: 2 });
        if (!first.allowed) throw new Error('unreachable');
        await store.decrementConcurrency(k, first.leaseId);
        expect(await store.incrementConcurrency(k, 2, 10_000, T0 + 1)).toMatchObject({
          allowed: true,
          active: 2,
        });
        // The 5 s lease of a crashed holder lapses.
        expect(await store.incrementConcurrency(k, 2, 10_000, T0 + 5000)).toMatchObject({
          allowed: true,
          active: 2,
        });
      });
    });

    describe('exact under concurrency across nodes', () => {
      const spread = async <T>(call: (store: CounterStore, i: number) => Promise<T>): Promise<T[]> => {
        const stores = await harness.open(4);
        return Promise.all(Array.from({ length: 200 }, (_, i) => call(stores[i % stores.length]!, i)));
      };

      it('200 concurrent reserve(1) against limit 50: exactly 50 succeed', async () => {
        const k = key('race-reserve');
        const results = await spread((store) => store.reserve(k, 1, 50, 60_000, { now: T0 }));
        expect(results.filter((r) => r.ok)).toHaveLength(50);
        expect(new Set(results.flatMap((r) => (r.ok ? [r.reservationId] : []))).size).toBe(50);
        const [store] = await harness.open(1);
        expect(await store!.balance(k, T0)).toEqual({ used: 0, held: 50 });
      });

      it('200 concurrent hits against limit 50: exactly 50 allowed', async () => {
        const k = key('race-hit');
        const results = await spread((store) => store.hit(k, 60_000, 50, 1, T0));
        expect(results.filter((r) => r.allowed)).toHaveLength(50);
      });

      it('200 concurrent token-bucket takes against capacity 50: exactly 50 allowed', async () => {
        const k = key('race-bucket');
        const results = await spread((store) => store.tokenBucket(k, 50, 0.001, 1, T0));
        expect(results.filter((r) => r.allowed)).toHaveLength(50);
      });

      it('200 concurrent slot requests against limit 50: exactly 50 leases', async () => {
        const k = key('race-conc');
        const results = await spread((store) => store.incrementConcurrency(k, 50, 60_000, T0));
        expect(results.filter((r) => r.allowed)).toHaveLength(50);
      });
    });
  });
}
