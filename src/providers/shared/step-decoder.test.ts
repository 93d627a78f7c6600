import { describe, expect, it } from 'vitest';
import { stepDecoder } from './step-decoder.js';

/** A message source that records whether it was closed early. */
function source(messages: string[]) {
  let index = 0;
  const state = { closed: false };
  const iterator: AsyncIterableIterator<string> = {
    next: async () =>
      index < messages.length ? { done: false, value: messages[index++]! } : { done: true, value: undefined },
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

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('stepDecoder', () => {
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
