/**
 * Event streams inside the gateway pass through several plain async iterators (SSE parser, decoder,
 * upstream call, router guard). One upstream read usually yields many events, yet every layer handed each
 * of them out as its own promise: about six promise hops per event, which measured as much CPU as the
 * decoding itself. A layer that already holds its next result can also offer it synchronously through
 * `nextSync`; consumers drain what is at hand that way and await only when a layer has to wait for I/O.
 * A layer without `nextSync` (a stage's async generator) simply ends the synchronous chain.
 */

export interface ReadyIterator<T> extends AsyncIterableIterator<T> {
  /**
   * The next result if it needs no waiting, else undefined (then call `next`). Never called while a
   * `next` is pending. Throws what `next` would reject with.
   */
  nextSync?(): IteratorResult<T> | undefined;
}

/** `iterator`'s next result if it is at hand without waiting. */
export function nextReady<T>(iterator: AsyncIterator<T>): IteratorResult<T> | undefined {
  return (iterator as ReadyIterator<T>).nextSync?.();
}

/**
 * The synchronous twin of `iterator.next().then(onResult, onError)`: the ready result through `onResult`,
 * a throw through `onError`, or undefined when the iterator must wait.
 */
export function nextReadyThen<T, U>(
  iterator: AsyncIterator<T>,
  onResult: (next: IteratorResult<T>) => U,
  onError: (error: unknown) => never,
): U | undefined {
  let next: IteratorResult<T> | undefined;
  try {
    next = nextReady(iterator);
  } catch (error) {
    return onError(error);
  }
  return next === undefined ? undefined : onResult(next);
}

/**
 * The `next` of a ReadyIterator: `nextSync`'s result when it has one, else `wait()`. A throw of `nextSync`
 * becomes the rejection, as `next` must never throw.
 */
export function readyOrWait<T>(
  nextSync: () => IteratorResult<T> | undefined,
  wait: () => Promise<IteratorResult<T>>,
): Promise<IteratorResult<T>> {
  let ready: IteratorResult<T> | undefined;
  try {
    ready = nextSync();
  } catch (error) {
    return Promise.reject(error);
  }
  return ready ? Promise.resolve(ready) : wait();
}

/** Each value of `source` through `map`, as a ReadyIterator (at hand when the source's is). */
export function mapReady<T, U>(source: AsyncIterable<T>, map: (value: T) => U): ReadyIterator<U> {
  const iterator = source[Symbol.asyncIterator]();
  const onResult = (next: IteratorResult<T>): IteratorResult<U> =>
    next.done ? { done: true, value: undefined } : { done: false, value: map(next.value) };
  const rethrow = (error: unknown): never => {
    throw error;
  };
  return {
    next: () => iterator.next().then(onResult),
    nextSync: () => nextReadyThen(iterator, onResult, rethrow),
    return: async () => {
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * `for await (const value of source) await visit(value)`, taking ready results without a promise each.
 * As with for-await, a throw from `visit` closes the source; a throw from the source does not.
 */
export async function forEachReady<T>(
  source: AsyncIterable<T>,
  visit: (value: T) => void | Promise<void>,
): Promise<void> {
  const iterator = source[Symbol.asyncIterator]();
  for (;;) {
    const next = nextReady(iterator) ?? (await iterator.next());
    if (next.done) return;
    try {
      const visited = visit(next.value);
      if (visited) await visited;
    } catch (error) {
      await iterator.return?.();
      throw error;
    }
  }
}
