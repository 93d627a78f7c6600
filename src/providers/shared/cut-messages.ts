/**
 * An upstream body cut into whole messages (SSE events, NDJSON lines, binary event-stream frames) behind one
 * plain iterator. The messages of one network read are handed out from a queue, synchronously while they
 * are at hand (`nextSync`); as an async generator, each message cost a generator resumption and several
 * promises, which showed in profiles of token streams.
 */
import type { ReadyIterator } from '../../core/ready-iterator.js';
import { nextReady } from '../../core/ready-iterator.js';

export interface MessageCutter<M> {
  /** Takes one network chunk and pushes every message it completes; may throw (a corrupt stream). */
  feed(chunk: Uint8Array | string, out: M[]): void;
  /** The body ended: pushes what the rest completes; may throw (a body cut inside a message). */
  end(out: M[]): void;
}

const DONE: IteratorResult<never> = { done: true, value: undefined };

export function cutMessages<M>(
  body: AsyncIterable<Uint8Array | string>,
  cutter: MessageCutter<M>,
): ReadyIterator<M> {
  const source = body[Symbol.asyncIterator]();
  let pending: M[] = [];
  let head = 0;
  let finished = false;
  /** A cutter's throw, raised once the messages completed before it are handed out. */
  let failure: { error: unknown } | undefined;
  const take = (): IteratorResult<M> | undefined => {
    if (head < pending.length) return { done: false, value: pending[head++]! };
    pending = [];
    head = 0;
    if (failure) {
      const { error } = failure;
      failure = undefined;
      throw error;
    }
    return finished ? DONE : undefined;
  };
  const cut = (next: IteratorResult<Uint8Array | string>): void => {
    try {
      if (next.done) {
        finished = true;
        cutter.end(pending);
      } else cutter.feed(next.value, pending);
    } catch (error) {
      failure = { error };
      if (!finished) {
        // As a for-await loop would: the body is released before the error leaves.
        finished = true;
        source.return?.()?.catch(() => {});
      }
    }
  };
  const pull = async (): Promise<IteratorResult<M>> => {
    for (;;) {
      cut(nextReady(source) ?? (await source.next()));
      const taken = take();
      if (taken) return taken;
    }
  };
  return {
    next: () => {
      try {
        const taken = take();
        return taken ? Promise.resolve(taken) : pull();
      } catch (error) {
        return Promise.reject(error);
      }
    },
    // The rest of the messages cut from the last read.
    nextSync: take,
    return: async () => {
      finished = true;
      pending = [];
      failure = undefined;
      await source.return?.();
      return DONE;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
