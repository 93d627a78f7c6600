import { describe, expect, it } from 'vitest';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import { forEachReady } from '../../core/ready-iterator.js';
import { collectStep, stepDecoder } from './step-decoder.js';

type SourceKind = 'async' | 'ready';

/**
 * A message source that records whether it was closed early. `ready`: like an SSE parser after one
 * network read, every message after the first is at hand synchronously (`nextSync`).
 */
function makeSource(kind: SourceKind, messages: string[]) {
  let index = 0;
  const state = { closed: false, syncTaken: 0 };
  const take = (): IteratorResult<string> =>
    index < messages.length ? { done: false, value: messages[index++]! } : { done: true, value: undefined };
  const iterator: ReadyIterator<string> = {
    next: async () => take(),
    return: async () => {
      state.closed = true;
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  if (kind === 'ready')
    iterator.nextSync = () => {
      if (index === 0) return undefined;
      state.syncTaken++;
      return take();
    };
  return { iterator, state };
}

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe.each<SourceKind>(['async', 'ready'])('stepDecoder over an %s source', (kind) => {
  const source = (messages: string[]) => makeSource(kind, messages);
  it('hands out every event of every message in order, across messages that give none', async () => {
    const { iterator } = source(['a', 'ping', 'bc', 'ping', 'ping', 'd']);
    const decoded = stepDecoder(iterator, {
      step: (message) => (message === 'ping' ? [] : [...message].map((c) => c.toUpperCase())),
    });
    expect(await drain(decoded)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('ends with the error end() throws, after the last event', async () => {
    const { iterator } = source(['a', 'b']);
    const seen: string[] = [];
    const decoded = stepDecoder(iterator, {
      step: (message) => [message],
      end: () => {
        throw new Error('stream ended early');
      },
    });
    await expect(
      (async () => {
        for await (const event of decoded) seen.push(event);
      })(),
    ).rejects.toThrow('stream ended early');
    expect(seen).toEqual(['a', 'b']);
  });

  it('closes the source when a step throws, as a for-await loop would, and stays finished', async () => {
    const { iterator, state } = source(['a', 'bad', 'c']);
    const decoded = stepDecoder(iterator, {
      step: (message) => {
        if (message === 'bad') throw new Error('upstream error event');
        return [message];
      },
    });
    expect(await decoded.next()).toEqual({ done: false, value: 'a' });
    await expect(decoded.next()).rejects.toThrow('upstream error event');
    expect(state.closed).toBe(true);
    expect(await decoded.next()).toEqual({ done: true, value: undefined });
  });

  it('closes the source when the consumer stops early, dropping events not yet taken', async () => {
    const { iterator, state } = source(['abc', 'd']);
    const decoded = stepDecoder(iterator, { step: (message) => [...message] });
    for await (const event of decoded) {
      expect(event).toBe('a');
      break;
    }
    expect(state.closed).toBe(true);
    expect(await decoded.next()).toEqual({ done: true, value: undefined });
  });
  it('hands out the last events of a failing step before its error, and closes the source', async () => {
    const { iterator, state } = source(['a', 'usage+error', 'never']);
    const decoded = stepDecoder<string, string>(iterator, {
      step: (message) =>
        message === 'usage+error' ? { events: ['usage'], error: new Error('in-band error') } : [message],
    });
    expect(await decoded.next()).toEqual({ done: false, value: 'a' });
    expect(await decoded.next()).toEqual({ done: false, value: 'usage' });
    await expect(decoded.next()).rejects.toThrow('in-band error');
    expect(state.closed).toBe(true);
    expect(await decoded.next()).toEqual({ done: true, value: undefined });
  });
});

describe('stepDecoder, synchronously', () => {
  it('hands out the events of messages at hand without a promise, and undefined when it must wait', async () => {
    const { iterator, state } = makeSource('ready', ['ab', 'ping', 'c']);
    const decoded = stepDecoder(iterator, {
      step: (message) => (message === 'ping' ? [] : [...message]),
    });
    // Nothing read yet: the first message needs the source's asynchronous next.
    expect(decoded.nextSync?.()).toBeUndefined();
    expect(await decoded.next()).toEqual({ done: false, value: 'a' });
    expect(decoded.nextSync?.()).toEqual({ done: false, value: 'b' });
    // Across a message that gives no events.
    expect(decoded.nextSync?.()).toEqual({ done: false, value: 'c' });
    expect(decoded.nextSync?.()).toEqual({ done: true, value: undefined });
    expect(state.syncTaken).toBe(3);
  });

  it("throws a failing step's error after its events, and closes the source", async () => {
    const { iterator, state } = makeSource('ready', ['a', 'usage+error', 'never']);
    const decoded = stepDecoder<string, string>(iterator, {
      step: (message) =>
        message === 'usage+error' ? { events: ['usage'], error: new Error('in-band error') } : [message],
    });
    expect(await decoded.next()).toEqual({ done: false, value: 'a' });
    expect(decoded.nextSync?.()).toEqual({ done: false, value: 'usage' });
    expect(() => decoded.nextSync?.()).toThrow('in-band error');
    expect(state.closed).toBe(true);
    expect(decoded.nextSync?.()).toEqual({ done: true, value: undefined });
  });

  it('gives forEachReady every event in order, awaiting only the first read', async () => {
    const { iterator, state } = makeSource('ready', ['ab', 'ping', 'cd', 'e']);
    const seen: string[] = [];
    await forEachReady(
      stepDecoder(iterator, { step: (message) => (message === 'ping' ? [] : [...message]) }),
      (event) => {
        seen.push(event);
      },
    );
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(state.syncTaken).toBe(4);
  });
});

describe('collectStep', () => {
  function* yieldsThenThrows(count: number) {
    for (let i = 0; i < count; i++) yield i;
    throw new Error('in-band error');
  }

  it('gives what a generator step yields', () => {
    expect(collectStep([1, 2, 3])).toEqual([1, 2, 3]);
  });

  it('keeps the events yielded before a throw, then the error, as the generator delivered them', () => {
    const result = collectStep(yieldsThenThrows(2));
    expect(result).toMatchObject({ events: [0, 1] });
    expect((result as { error: Error }).error.message).toBe('in-band error');
  });

  it('throws at once when nothing came before the error', () => {
    expect(() => collectStep(yieldsThenThrows(0))).toThrow('in-band error');
  });
});
