import { describe, expect, it } from 'vitest';
import { counterStoreContract } from '../counter-store.contract.js';
import type { CounterStore } from '../counter-store.js';
import { MemoryCounterStore } from './memory-counter-store.js';

const shared = new MemoryCounterStore();

// One process is one node: every "node" of the contract is the same store.
counterStoreContract('memory', {
  open: async (count: number): Promise<CounterStore[]> => Array.from({ length: count }, () => shared),
  cleanup: () => shared.close(),
});

describe('MemoryCounterStore memory bound', () => {
  it('sweeps expired windows, buckets, holds and leases', async () => {
    const store = new MemoryCounterStore();
    const now = 1_000_000;
    for (let i = 0; i < 100; i++) {
      await store.hit(`w${i}`, 1000, 10, 1, now);
      await store.tokenBucket(`b${i}`, 10, 10, 1, now);
      await store.reserve(`r${i}`, 1, 10, 1000, { now, keyTtlMs: 5000 });
      await store.incrementConcurrency(`c${i}`, 10, 1000, now);
    }
    expect(store.size()).toBe(400);
    await store.hit('late', 1000, 10, 1, now + 10_000); // advances the store's clock
    store.sweep();
    expect(store.size()).toBe(1);
    await store.close();
  });

  it('keeps counters without a period (total budgets) but drops their lapsed holds', async () => {
    const store = new MemoryCounterStore();
    const hold = await store.reserve('total', 5, 10, 1000, { now: 0 });
    if (!hold.ok) throw new Error('unreachable');
    await store.settle('total', hold.reservationId, 4);
    await store.reserve('total', 3, 10, 1000, { now: 0 });
    await store.hit('clock', 1000, 1, 1, 10_000_000);
    store.sweep();
    expect(await store.balance('total', 10_000_000)).toEqual({ used: 4, held: 0 });
    await store.close();
  });
});
