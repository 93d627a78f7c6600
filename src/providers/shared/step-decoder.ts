/**
 * A stream decoder as a plain async iterator around a synchronous step per upstream message. A decoder
 * written as an async generator pays a generator resumption and several promises for every event it
 * yields; heap sampling of translated streams showed that machinery as the largest allocator of the whole
 * request. Here a step returns the events of one message as an array, and they are handed out from it,
 * synchronously too (`nextSync`) while they or the source's next message are at hand.
 */

import type { ReadyIterator } from '../../core/ready-iterator.js';
import { nextReadyThen, readyOrWait } from '../../core/ready-iterator.js';

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

const asIs = <T>(value: T): T => value;

/**
 * A step written as a sync generator, as its result: the events it yields, or, when it throws after
 * yielding some, those events and then the error (as the generator would have delivered them).
 */
export function collectStep<E>(events: Iterable<E>): readonly E[] | EventsThenError<E> {
  const out: E[] = [];
  try {
    for (const event of events) out.push(event);
  } catch (error) {
    if (out.length === 0) throw error;
    return { events: out, error };
  }
  return out;
}

export function stepDecoder<M, E>(messages: AsyncIterable<M>, steps: DecodeSteps<M, E>): ReadyIterator<E> {
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
  const takeFailure = (): unknown => {
    const { error } = failure!;
    failure = undefined;
    return error;
  };
  /** Queues `events` and hands out the first (callers pass at least one). */
  const handOut = (events: readonly E[]): IteratorResult<E> => {
    queue = events;
    head = 1;
    return { done: false, value: events[0]! };
  };
  /** The first event `next` gives, or undefined when it gave none (a ping, a block stop). */
  const absorb = (next: IteratorResult<M>): IteratorResult<E> | undefined => {
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
    return events.length === 0 ? undefined : handOut(events);
  };
  const onMessage = (next: IteratorResult<M>): IteratorResult<E> | Promise<IteratorResult<E>> => {
    const taken = absorb(next);
    if (taken) return taken;
    if (failure) return Promise.reject(takeFailure());
    // A message with no events costs a further hop, unless the source has the next one at hand.
    return nextSync() ?? source.next().then(onMessage, fail);
  };
  const fail = (error: unknown): never => {
    finished = true;
    throw error;
  };
  function nextSync(): IteratorResult<E> | undefined {
    for (;;) {
      if (head < queue.length) return { done: false, value: queue[head++]! };
      if (failure) throw takeFailure();
      if (finished) return DONE;
      const message = nextReadyThen(source, asIs, fail);
      if (message === undefined) return undefined;
      const taken = absorb(message);
      if (taken) return taken;
    }
  }
  const wait = (): Promise<IteratorResult<E>> => source.next().then(onMessage, fail);
  return {
    next: () => readyOrWait(nextSync, wait),
    nextSync,
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
