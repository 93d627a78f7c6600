import { describe, expect, it } from 'vitest';
import { parseSse } from './sse.js';

/** Network reads as an async iterable, one chunk per read. */
async function* reads(...chunks: string[]) {
  for (const chunk of chunks) yield new TextEncoder().encode(chunk);
}

describe('parseSse', () => {
  it('hands out the rest of one read synchronously, and asks to wait once the read is used up', async () => {
    const messages = parseSse(
      reads('event: a\ndata: 1\n\nevent: b\ndata: 2\n\ndata: 3\n\nevent: c\nda', 'ta: 4\n\n'),
    );
    expect(messages.nextSync?.()).toBeUndefined();
    expect(await messages.next()).toEqual({ done: false, value: { event: 'a', data: '1' } });
    expect(messages.nextSync?.()).toEqual({ done: false, value: { event: 'b', data: '2' } });
    expect(messages.nextSync?.()).toEqual({ done: false, value: { data: '3' } });
    // The fourth event is cut across two reads.
    expect(messages.nextSync?.()).toBeUndefined();
    expect(await messages.next()).toEqual({ done: false, value: { event: 'c', data: '4' } });
    expect(messages.nextSync?.()).toBeUndefined();
    expect(await messages.next()).toEqual({ done: true, value: undefined });
    expect(messages.nextSync?.()).toEqual({ done: true, value: undefined });
  });

  it('keeps a final event that lacks its blank line', async () => {
    const seen: unknown[] = [];
    for await (const message of parseSse(reads('data: 1\n\ndata: 2'))) seen.push(message);
    expect(seen).toEqual([{ data: '1' }, { data: '2' }]);
  });
});
