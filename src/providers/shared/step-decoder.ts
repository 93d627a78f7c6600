/**
 * A stream decoder as a plain async iterator around a synchronous step per upstream message. A decoder
 * written as an async generator pays a generator resumption and several promises for every event it
 * yields; heap sampling of translated streams showed that machinery as the largest allocator of the whole
 * request. Here a step returns the events of one message as an array, and they are handed out from it.
 */

export interface DecodeSteps<M, E> {
  /** The events one upstream message gives (often none); may throw a classified error. */
  step(message: M): readonly E[];
  /** Called once when the upstream ends; may throw (a stream that ended early). */
  end?(): void;
}

const DONE: IteratorResult<never> = { done: true, value: undefined };

export function stepDecoder<M, E>(
  messages: AsyncIterable<M>,
  steps: DecodeSteps<M, E>,
): AsyncIterableIterator<E> {
  const source = messages[Symbol.asyncIterator]();
  let queue: readonly E[] = [];
  let head = 0;
  let finished = false;
  const onMessage = (next: IteratorResult<M>): IteratorResult<E> | Promise<IteratorResult<E>> => {
    if (next.done) {
      finished = true;
      steps.end?.();
      return DONE;
    }
    let events: readonly E[];
    try {
      events = steps.step(next.value);
    } catch (error) {
      // As a for-await loop would: the source is closed (the upstream body released) before the error leaves.
      finished = true;
      source.return?.()?.catch(() => {});
      throw error;
    }
    // A message with no events (ping, block stop) costs a further hop.
    if (events.length === 0) return source.next().then(onMessage, fail);
    queue = events;
    head = 1;
    return { done: false, value: events[0]! };
  };
  const fail = (error: unknown): never => {
    finished = true;
    throw error;
  };
  return {
    next: () => {
      if (head < queue.length) return Promise.resolve({ done: false, value: queue[head++]! });
      if (finished) return Promise.resolve(DONE);
      return source.next().then(onMessage, fail);
    },
    return: async () => {
      // The consumer stopped early: closing the source cancels the upstream body.
      finished = true;
      queue = [];
      await source.return?.();
      return DONE;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
