import { describe, expect, it } from 'vitest';
import type { ReadyIterator } from './ready-iterator.js';
import { forEachReady, mapReady, readyOrWait } from './ready-iterator.js';

/**
 * Values in batches: the first of each batch comes from `next` (as after a network read), the rest of
 * the batch from `nextSync`. `failAt` makes the source throw instead of giving that value.
 */
function batches(groups: number[][], failAt?: number) {
  const flat = groups.flatMap((group, g) => group.map((value, i) => ({ value, startsBatch: i === 0, g })));
  let index = 0;
  const state = { closed: false, asyncCalls: 0, syncCalls: 0 };
  const take = (): IteratorResult<number> => {
    if (index >= flat.length) return { done: true, value: undefined };
    const { value } = flat[index++]!;
    if (value === failAt) throw new Error(`source failed at ${value}`);
    return { done: false, value };
  };
  const iterator: ReadyIterator<number> = {
    next: async () => {
      state.asyncCalls++;
      return take();
    },
    nextSync: () => {
      if (index >= flat.length || flat[index]!.startsBatch) return undefined;
      state.syncCalls++;
      return take();
    },
    return: async () => {
      state.closed = true;
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return { iterator, state };
}

describe('forEachReady', () => {
  it('visits every value in order, awaiting only where the source must wait', async () => {
    const { iterator, state } = batches([[1, 2, 3], [4], [5, 6]]);
    const seen: number[] = [];
    await forEachReady(iterator, (value) => {
      seen.push(value);
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    // One asynchronous read per batch and one for the end.
    expect(state.asyncCalls).toBe(4);
    expect(state.syncCalls).toBe(3);
    expect(state.closed).toBe(false);
  });

  it('awaits a visit that returns a promise before taking the next value', async () => {
    const { iterator } = batches([[1, 2, 3]]);
    const log: string[] = [];
    await forEachReady(iterator, async (value) => {
      log.push(`start ${value}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.push(`end ${value}`);
    });
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('closes the source when a visit throws, as for-await does', async () => {
    const { iterator, state } = batches([[1, 2, 3]]);
    await expect(
      forEachReady(iterator, (value) => {
        if (value === 2) throw new Error('visit failed');
      }),
    ).rejects.toThrow('visit failed');
    expect(state.closed).toBe(true);
  });

  it('rejects with what the source throws, synchronously or not, without closing it', async () => {
    for (const failAt of [1, 2]) {
      const { iterator, state } = batches([[1, 2, 3]], failAt);
      const seen: number[] = [];
      await expect(
        forEachReady(iterator, (value) => {
          seen.push(value);
        }),
      ).rejects.toThrow(`source failed at ${failAt}`);
      expect(seen).toEqual(failAt === 1 ? [] : [1]);
      expect(state.closed).toBe(false);
    }
  });

  it('works on any async iterable without nextSync', async () => {
    async function* plain() {
      yield 'a';
      yield 'b';
    }
    const seen: string[] = [];
    await forEachReady(plain(), (value) => {
      seen.push(value);
    });
    expect(seen).toEqual(['a', 'b']);
  });
});

describe('mapReady', () => {
  it('maps every value, handing out synchronously what the source has at hand', async () => {
    const { iterator, state } = batches([[1, 2], [3]]);
    const mapped = mapReady(iterator, (value) => value * 10);
    expect(mapped.nextSync?.()).toBeUndefined();
    expect(await mapped.next()).toEqual({ done: false, value: 10 });
    expect(mapped.nextSync?.()).toEqual({ done: false, value: 20 });
    expect(mapped.nextSync?.()).toBeUndefined();
    const seen: number[] = [];
    await forEachReady(mapped, (value) => {
      seen.push(value);
    });
    expect(seen).toEqual([30]);
    expect(state.syncCalls).toBe(1);
  });

  it('passes a throw of the source or of the map on, and closes the source on return', async () => {
    const failing = batches([[1, 2]], 2);
    const mapped = mapReady(failing.iterator, (value) => value);
    expect(await mapped.next()).toEqual({ done: false, value: 1 });
    expect(() => mapped.nextSync?.()).toThrow('source failed at 2');

    const throwing = mapReady(batches([[1]]).iterator, () => {
      throw new Error('map failed');
    });
    await expect(throwing.next()).rejects.toThrow('map failed');

    const closing = batches([[1, 2]]);
    const early = mapReady(closing.iterator, (value) => value);
    await early.next();
    await early.return?.();
    expect(closing.state.closed).toBe(true);
  });
});

describe('readyOrWait', () => {
  it('resolves with the ready result without waiting, waits otherwise, and rejects what nextSync throws', async () => {
    let waited = 0;
    const wait = async (): Promise<IteratorResult<number>> => {
      waited++;
      return { done: false, value: 2 };
    };
    expect(await readyOrWait(() => ({ done: false, value: 1 }), wait)).toEqual({ done: false, value: 1 });
    expect(waited).toBe(0);
    expect(await readyOrWait(() => undefined, wait)).toEqual({ done: false, value: 2 });
    expect(waited).toBe(1);
    const thrown = readyOrWait(() => {
      throw new Error('step failed');
    }, wait);
    await expect(thrown).rejects.toThrow('step failed');
    expect(waited).toBe(1);
  });
});
