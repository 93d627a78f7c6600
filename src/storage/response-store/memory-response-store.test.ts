import { describe, expect, it } from 'vitest';
import { MemoryResponseStore } from './memory-response-store.js';
import { responseStoreContract } from './response-store.contract.js';
import type { StoredResponse } from './response-store.js';

// One process = one node: every "node" of the contract shares the same instance.
responseStoreContract('memory', {
  open: async (count, options) => {
    const store = new MemoryResponseStore(options?.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {});
    return Array.from({ length: count }, () => store);
  },
  cleanup: async () => {},
});

function sized(id: string, bytes: number): StoredResponse {
  return {
    id,
    ownerKey: 'k',
    createdAt: 0,
    status: 'completed',
    response: { pad: 'x'.repeat(bytes) },
    inputItems: [],
    outputItems: [],
  };
}

describe('MemoryResponseStore bounds', () => {
  it('evicts the least recently used records by size, reads counting as use', async () => {
    const one = JSON.stringify(sized('resp_a', 1000)).length + 'resp:resp_a'.length;
    const store = new MemoryResponseStore({ maxBytes: one * 3 + 10 });
    await store.put(sized('resp_a', 1000));
    await store.put(sized('resp_b', 1000));
    await store.put(sized('resp_c', 1000));
    expect(store.stats()).toEqual({ bytes: one * 3, entries: 3 });
    // a is read, so b is now the least recently used.
    expect(await store.get('resp_a', 'k')).toBeDefined();
    await store.put(sized('resp_d', 1000));
    expect(await store.get('resp_b', 'k')).toBeUndefined();
    for (const id of ['resp_a', 'resp_c', 'resp_d']) expect(await store.get(id, 'k')).toBeDefined();
    expect(store.stats()).toEqual({ bytes: one * 3, entries: 3 });
    // One big record pushes out as many as it needs.
    await store.put(sized('resp_big', 2 * 1000 + 600));
    expect(store.stats().entries).toBe(1);
    expect(await store.get('resp_big', 'k')).toBeDefined();
    expect(store.stats().bytes).toBeLessThanOrEqual(store.maxBytes);
  });

  it('grows a conversation within the budget, evicting others first', async () => {
    const store = new MemoryResponseStore({ maxBytes: 4000 });
    await store.put(sized('resp_old', 1500));
    const { id } = await store.createConversation('k');
    for (let i = 0; i < 20; i++) {
      await store.appendConversationItems(id, 'k', [
        { id: `msg_${i}`, type: 'message', text: 'y'.repeat(100) },
      ]);
    }
    expect(await store.get('resp_old', 'k')).toBeUndefined();
    expect(await store.allConversationItems(id, 'k')).toHaveLength(20);
    expect(store.stats().bytes).toBeLessThanOrEqual(4000);
  });

  it('refuses a single record larger than the whole budget, keeping the rest', async () => {
    const store = new MemoryResponseStore({ maxBytes: 2000 });
    await store.put(sized('resp_small', 100));
    await expect(store.put(sized('resp_huge', 5000))).rejects.toMatchObject({
      failureClass: 'payload_too_large',
    });
    expect(await store.get('resp_small', 'k')).toBeDefined();
  });

  it('expires by the injected clock, restarting the TTL on writes but not on updates of status', async () => {
    let now = 1_000_000;
    const store = new MemoryResponseStore({ ttlMs: 1000, now: () => now });
    await store.put(sized('resp_t', 10));
    now += 600;
    await store.update('resp_t', 'k', { status: 'cancelled' });
    now += 500;
    expect(await store.get('resp_t', 'k')).toBeUndefined();
    expect(store.stats().entries).toBe(0);
  });
});
