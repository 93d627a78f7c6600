import { describe, expect, it } from 'vitest';
import { cutMessages } from './cut-messages.js';

/** Words cut at spaces; "!" in a chunk is a corrupt stream. */
function words(body: AsyncIterable<string>) {
  let partial = '';
  return cutMessages<string>(body, {
    feed(chunk, out) {
      const text = partial + String(chunk);
      const parts = text.split(' ');
      partial = parts.pop()!;
      for (const part of parts) {
        if (part === '!') throw new Error('corrupt');
        out.push(part);
      }
    },
    end(out) {
      if (partial !== '') out.push(partial);
    },
  });
}

function source(chunks: string[]) {
  const seen = { returned: false };
  const iterable: AsyncIterable<string> = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        next: async () =>
          i < chunks.length ? { done: false, value: chunks[i++]! } : { done: true, value: undefined },
        return: async () => {
          seen.returned = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { iterable, seen };
}

describe('cutMessages', () => {
  it('hands out the messages of one chunk synchronously, across chunk borders and at the end', async () => {
    const iterator = words(source(['a b', 'c d ', 'e']).iterable);
    expect(await iterator.next()).toEqual({ done: false, value: 'a' });
    // "b" waits for its space; nothing else of the first chunk is at hand.
    expect(iterator.nextSync?.()).toBeUndefined();
    const rest: string[] = [];
    for await (const word of iterator) rest.push(word);
    expect(rest).toEqual(['bc', 'd', 'e']);
  });

  it('hands out the messages completed before a corrupt one, then fails, and releases the body', async () => {
    const { iterable, seen } = source(['a b ! c ', 'd ']);
    const out: string[] = [];
    const error = await (async () => {
      try {
        for await (const word of words(iterable)) out.push(word);
      } catch (thrown) {
        return thrown as Error;
      }
      return undefined;
    })();
    expect(out).toEqual(['a', 'b']);
    expect(error?.message).toBe('corrupt');
    expect(seen.returned).toBe(true);
  });
});
