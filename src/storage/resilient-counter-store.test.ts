import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.js';
import type { CounterStore } from './counter-store.js';
import { MemoryCounterStore } from './memory/memory-counter-store.js';
import {
  type CounterStoreState,
  resilientCounterStore,
  type StoreLogger,
} from './resilient-counter-store.js';

/** A memory store that throws like an unreachable Redis while `down` is set, and counts calls. */
function flakyStore(): { store: CounterStore; setDown(down: boolean): void; calls(): number } {
  const inner = new MemoryCounterStore();
  let down = false;
  let calls = 0;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'close') return value;
      return (...args: unknown[]) => {
        calls += 1;
        if (down) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, setDown: (value) => (down = value), calls: () => calls };
}

function recordingLogger(): StoreLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    error: (_details, message) => lines.push(`error: ${message}`),
    info: (_d, m) => lines.push(`info: ${m}`),
  };
}

describe('resilientCounterStore', () => {
  it('fail_open: allows and marks degraded, logs once per transition, recovers by itself', async () => {
    const flaky = flakyStore();
    const logger = recordingLogger();
    const states: CounterStoreState[] = [];
    const store = resilientCounterStore(flaky.store, {
      policy: 'fail_open',
      logger,
      onStateChange: (state) => states.push(state),
      probeIntervalMs: 20,
    });
    expect(await store.hit('k', 1000, 1, 1, 0)).toMatchObject({ allowed: true });
    expect(await store.hit('k', 1000, 1, 1, 0)).toMatchObject({ allowed: false });
    flaky.setDown(true);
    for (let i = 0; i < 5; i++) {
      expect(await store.hit('k', 1000, 1, 1, 0)).toEqual({
        allowed: true,
        remaining: 1,
        resetMs: 0,
        retryAfterMs: 0,
        degraded: true,
      });
    }
    expect(store.state).toBe('degraded');
    // Only the first call reached the dead backend; the rest waited for the next probe slot.
    const callsWhileDown = flaky.calls();
    const reserved = await store.reserve('budget', 5, 10, 1000);
    expect(reserved).toMatchObject({ ok: true, remaining: 5, degraded: true });
    expect(await store.incrementConcurrency('c', 1, 1000)).toMatchObject({ allowed: true, degraded: true });
    expect(flaky.calls()).toBe(callsWhileDown);

    flaky.setDown(false);
    await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await store.hit('k', 1000, 1, 1, 0)).toMatchObject({ allowed: false });
    expect(store.state).toBe('healthy');
    // A degraded reservation still gets its real cost recorded once the backend is back.
    if (!reserved.ok) throw new Error('unreachable');
    expect(await store.settle('budget', reserved.reservationId, 7)).toEqual({ found: false });
    expect(await store.balance('budget')).toEqual({ used: 7, held: 0 });
    expect(states).toEqual(['degraded', 'healthy']);
    expect(logger.lines).toEqual([
      'error: counter store unavailable; applying failure policy',
      'info: counter store recovered',
    ]);
  });

  it('fail_closed: refuses with a 503 GatewayError, but never fails settle/release/decrement', async () => {
    const flaky = flakyStore();
    const store = resilientCounterStore(flaky.store, { policy: 'fail_closed', probeIntervalMs: 1000 });
    const hold = await store.reserve('b', 1, 10, 1000);
    const lease = await store.incrementConcurrency('c', 1, 1000);
    flaky.setDown(true);
    const error = await store.hit('k', 1000, 5, 1, 0).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 503, failureClass: 'overloaded', code: 'limits_unavailable' });
    await expect(store.reserve('b', 1, 10, 1000)).rejects.toMatchObject({ status: 503 });
    await expect(store.tokenBucket('t', 1, 1, 1, 0)).rejects.toMatchObject({ status: 503 });
    await expect(store.incrementConcurrency('c', 5, 1000)).rejects.toMatchObject({ status: 503 });
    await expect(store.balance('b')).rejects.toMatchObject({ status: 503 });
    if (!hold.ok || !lease.allowed) throw new Error('unreachable');
    expect(await store.settle('b', hold.reservationId, 1)).toEqual({ found: false, degraded: true });
    await expect(store.release('b', hold.reservationId)).resolves.toBeUndefined();
    await expect(store.decrementConcurrency('c', lease.leaseId)).resolves.toBeUndefined();
  });

  it('keeps the ends of requests that finished during an outage and replays them before the first call after it', async () => {
    const flaky = flakyStore();
    const store = resilientCounterStore(flaky.store, { policy: 'fail_closed', probeIntervalMs: 10 });
    const lease = await store.incrementConcurrency('c', 1, 900_000);
    const spend = await store.reserve('b', 50, 100, 900_000);
    const dropped = await store.reserve('b', 30, 100, 900_000);
    if (!lease.allowed || !spend.ok || !dropped.ok) throw new Error('unreachable');
    flaky.setDown(true);
    // The requests end while the backend is unreachable: nothing can be written now.
    await store.decrementConcurrency('c', lease.leaseId);
    expect(await store.settle('b', spend.reservationId, 20)).toEqual({ found: false, degraded: true });
    await store.release('b', dropped.reservationId);
    expect(store.state).toBe('degraded');
    flaky.setDown(false);
    await new Promise((resolve) => setTimeout(resolve, 15));
    // The first call after the outage already sees the slot returned, the spend recorded, the holds gone.
    expect(await store.incrementConcurrency('c', 1, 900_000)).toMatchObject({ allowed: true, active: 1 });
    expect(store.state).toBe('healthy');
    expect(await store.balance('b')).toEqual({ used: 20, held: 0 });
  });

  it('passes caller bugs through instead of treating them as an outage', async () => {
    const store = resilientCounterStore(new MemoryCounterStore(), { policy: 'fail_open' });
    await expect(store.reserve('b', 1.5, 10, 1000)).rejects.toThrow(RangeError);
    expect(store.state).toBe('healthy');
  });
});
