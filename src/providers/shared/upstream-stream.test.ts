import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.js';
import { streamBreakError } from './stream-break-error.js';
import { DispatchedBody } from './upstream-body.js';
import type { UpstreamResponse } from './upstream-http.js';
import { upstreamStream } from './upstream-stream.js';

/**
 * An accepted answer whose body holds `chunks`, complete or still open; `aborted` tells whether the
 * connection was cut.
 */
function response(chunks: string[], complete = false): UpstreamResponse & { aborted: () => boolean } {
  let aborted = false;
  const body = new DispatchedBody(
    () => undefined,
    () => {
      aborted = true;
    },
  );
  for (const chunk of chunks) body.push(Buffer.from(chunk));
  if (complete) body.end();
  return { status: 200, headers: {}, body, aborted: () => aborted };
}

describe('upstreamStream', () => {
  it('yields the decoded events and releases the body at the end', async () => {
    const accepted = response(['a', 'b'], true);
    const events: string[] = [];
    for await (const event of upstreamStream({
      open: async () => accepted,
      decode: async function* (r) {
        for await (const chunk of r.body) yield String(chunk);
      },
      bodyError: (error) => new GatewayError('network', String(error)),
    }))
      events.push(event);
    expect(events).toEqual(['a', 'b']);
    // Read to its end, the connection goes back to the pool rather than being cut.
    expect(accepted.aborted()).toBe(false);
  });

  it('does not send anything before the first event is asked for, and passes a refusal on as is', async () => {
    let opened = 0;
    const refusal = new GatewayError('rate_limit', 'slow down', { status: 429 });
    const stream = upstreamStream<string>({
      open: async () => {
        opened++;
        throw refusal;
      },
      decode: async function* () {},
      bodyError: () => new GatewayError('network', 'unexpected'),
    });
    expect(opened).toBe(0);
    const iterator = stream[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toBe(refusal);
    // Refused once: a second pull does not call the upstream again.
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
    expect(opened).toBe(1);
  });

  it('classifies a break while decoding and closes the connection', async () => {
    const accepted = response(['a', 'b', 'c']);
    const iterator = upstreamStream<string>({
      open: async () => accepted,
      decode: async function* () {
        yield 'a';
        throw new Error('socket hang up');
      },
      bodyError: (error) => new GatewayError('network', `broke: ${(error as Error).message}`),
    })[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: 'a' });
    await expect(iterator.next()).rejects.toMatchObject({
      failureClass: 'network',
      message: 'broke: socket hang up',
    });
    expect(accepted.aborted()).toBe(true);
  });

  it('closes the decoder and the connection when the consumer stops early', async () => {
    const accepted = response(['a', 'b', 'c']);
    let decoderClosed = false;
    for await (const event of upstreamStream({
      open: async () => accepted,
      decode: async function* () {
        try {
          yield 'a';
          yield 'b';
        } finally {
          decoderClosed = true;
        }
      },
      bodyError: (error) => new GatewayError('network', String(error)),
    })) {
      expect(event).toBe('a');
      break;
    }
    expect(decoderClosed).toBe(true);
    expect(accepted.aborted()).toBe(true);
  });
});

describe('streamBreakError', () => {
  it('reports the upstream call timer as a timeout even when it aborted the shared attempt signal', () => {
    const controller = new AbortController();
    const reason = new DOMException('Upstream attempt timed out', 'TimeoutError');
    controller.abort(reason);
    expect(streamBreakError(reason, 'claude', controller.signal).failureClass).toBe('timeout');
    expect(streamBreakError(reason, 'claude', controller.signal).status).not.toBe(499);
  });

  it('reports an abort the caller asked for as an abort, and an unasked one as a timeout', () => {
    const asked = new AbortController();
    asked.abort();
    const abortError = new DOMException('aborted', 'AbortError');
    expect(streamBreakError(abortError, 'claude', asked.signal).status).toBe(499);
    expect(streamBreakError(abortError, 'claude', new AbortController().signal).status).not.toBe(499);
  });
});
