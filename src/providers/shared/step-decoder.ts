/**
 * A stream decoder as a plain async iterator around a synchronous step per upstream message. A decoder
 * written as an async generator pays a generator resumption and several promises for every event it
 * yields; heap sampling of translated streams showed that machinery as the largest allocator of the whole
 * request. Here a step returns the events of one message as an array, and they are handed out from it.
 */

/** A step's last word: these events, then the stream fails (an in-band error after the attempt's usage). */
export interface EventsThenError<E> {
  events: readonly E[];
  error: unknown;
}

export interface DecodeSteps<M, E> {
  /** The events one upstream message gives (often none); may throw a classified error. */
  step(message: M): readonly E[] | EventsThenError<E>;
  /** Called once when the upstream ends: last events (a finish), or a throw (a stream that ended early). */
  end?(): readonly E[] | undefined;
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
  /** The error to raise once the queued events are handed out. */
  let failure: { error: unknown } | undefined;
  // As a for-await loop would: the source is closed (the upstream body released) before an error leaves.
  const stop = (): void => {
    finished = true;
    source.return?.()?.catch(() => {});
  };
  const raise = (): Promise<never> => {
    const { error } = failure!;
    failure = undefined;
    return Promise.reject(error);
  };
  /** Queues `events` and hands out the first (callers pass at least one). */
  const handOut = (events: readonly E[]): IteratorResult<E> => {
    queue = events;
    head = 1;
    return { done: false, value: events[0]! };
  };
  const onMessage = (next: IteratorResult<M>): IteratorResult<E> | Promise<IteratorResult<E>> => {
    if (next.done) {
      finished = true;
      const tail = steps.end?.();
      return tail && tail.length > 0 ? handOut(tail) : DONE;
    }
    let events: readonly E[];
    try {
      const result = steps.step(next.value);
      if (Array.isArray(result)) events = result;
      else {
        const last = result as EventsThenError<E>;
        events = last.events;
        failure = { error: last.error };
        stop();
      }
    } catch (error) {
      stop();
      throw error;
    }
    if (events.length === 0) {
      if (failure) return raise();
      // A message with no events (ping, block stop) costs a further hop.
      return source.next().then(onMessage, fail);
    }
    return handOut(events);
  };
  const fail = (error: unknown): never => {
    finished = true;
    throw error;
  };
  return {
    next: () => {
      if (head < queue.length) return Promise.resolve({ done: false, value: queue[head++]! });
      if (failure) return raise();
      if (finished) return Promise.resolve(DONE);
      return source.next().then(onMessage, fail);
    },
    return: async () => {
      // The consumer stopped early: closing the source cancels the upstream body.
      finished = true;
      queue = [];
      failure = undefined;
      await source.return?.();
      return DONE;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
