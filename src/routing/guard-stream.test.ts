import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../core/canonical-events.js';
import { GatewayError } from '../core/errors.js';
import { nextWithin } from './guard-stream.js';

async function* paced(delays: number[]): AsyncGenerator<CanonicalEvent> {
  for (const delay of delays) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    yield { type: 'text-delta', text: String(delay) };
  }
}

describe('stream deadlines', () => {
  it('fails the first event after firstByteMs and aborts the attempt', async () => {
    let aborted = false;
    const error = await nextWithin(
      paced([200])[Symbol.asyncIterator](),
      30,
      () => (aborted = true),
      'No first byte',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).failureClass).toBe('timeout');
    expect(aborted).toBe(true);
  });

  it('passes a steady stream and stops a stalled one', async () => {
    let aborted = false;
    const iterator = paced([5, 5, 300])[Symbol.asyncIterator]();
    // The router's idle deadline: every later event is awaited with nextWithin.
    const next = () => nextWithin(iterator, 100, () => (aborted = true), 'Upstream p sent nothing');
    expect((await next()).value).toEqual({ type: 'text-delta', text: '5' });
    expect((await next()).value).toEqual({ type: 'text-delta', text: '5' });
    await expect(next()).rejects.toMatchObject({
      failureClass: 'timeout',
      message: 'Upstream p sent nothing within 100 ms',
    });
    expect(aborted).toBe(true);
  });
});
