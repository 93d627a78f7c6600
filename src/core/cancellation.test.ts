import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { Cancellation } from './cancellation.js';

describe('Cancellation', () => {
  it('calls each listener once with the reason, and aborts only once', () => {
    const cancel = new Cancellation();
    const seen: unknown[] = [];
    cancel.onAbort((reason) => seen.push(['a', reason]));
    cancel.onAbort((reason) => seen.push(['b', reason]));
    cancel.abort('first');
    cancel.abort('second');
    expect(cancel.aborted).toBe(true);
    expect(cancel.reason).toBe('first');
    expect(seen).toEqual([
      ['a', 'first'],
      ['b', 'first'],
    ]);
  });

  it('gives the default reason AbortController gives, so aborts are classified alike', () => {
    const cancel = new Cancellation();
    cancel.abort();
    const reference = new AbortController();
    reference.abort();
    expect(cancel.reason).toBeInstanceOf(DOMException);
    expect((cancel.reason as DOMException).name).toBe((reference.signal.reason as DOMException).name);
  });

  it('calls a listener added after the abort at once', () => {
    const cancel = new Cancellation();
    cancel.abort('gone');
    let reason: unknown;
    cancel.onAbort((r) => {
      reason = r;
    });
    expect(reason).toBe('gone');
  });

  it('does not call a removed listener', () => {
    const cancel = new Cancellation();
    let calls = 0;
    const remove = cancel.onAbort(() => calls++);
    const keep = cancel.onAbort(() => calls++);
    remove();
    remove();
    cancel.abort();
    expect(calls).toBe(1);
    keep();
  });

  it('aborts an attempt controller linked to it, as the router links one per attempt', () => {
    const cancel = new Cancellation();
    const attempt = new AbortController();
    cancel.onAbort((reason) => attempt.abort(reason));
    cancel.abort(new Error('client closed'));
    expect(attempt.signal.aborted).toBe(true);
    expect((attempt.signal.reason as Error).message).toBe('client closed');
  });

  it('a child aborts with its parent, alone without aborting the parent, and not once unlinked', () => {
    const parent = new Cancellation();
    const alone = parent.child();
    alone.cancel.abort('deadline');
    expect(alone.cancel.aborted).toBe(true);
    expect(parent.aborted).toBe(false);
    const unlinked = parent.child();
    unlinked.unlink();
    const linked = parent.child();
    parent.abort('client gone');
    expect(linked.cancel.aborted).toBe(true);
    expect(linked.cancel.reason).toBe('client gone');
    expect(unlinked.cancel.aborted).toBe(false);
    // Nothing stays registered on the parent for the unlinked child.
    expect(parent.listenerCount('abort')).toBe(0);
  });

  it('follows an AbortSignal until unlinked', () => {
    const controller = new AbortController();
    const cancel = new Cancellation();
    cancel.follow(controller.signal);
    controller.abort('shutdown');
    expect(cancel.reason).toBe('shutdown');

    const later = new AbortController();
    const unlinked = new Cancellation();
    const unfollow = unlinked.follow(later.signal);
    unfollow();
    later.abort();
    expect(unlinked.aborted).toBe(false);

    const before = new AbortController();
    before.abort('already');
    const late = new Cancellation();
    late.follow(before.signal);
    expect(late.reason).toBe('already');
  });

  it('times out by itself with a TimeoutError', async () => {
    const cancel = Cancellation.timeout(5);
    expect(cancel.aborted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(cancel.aborted).toBe(true);
    expect((cancel.reason as DOMException).name).toBe('TimeoutError');
  });

  it('cancels an undici request it is given as the signal, before and after the response', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first part');
      // The body never ends by itself.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const early = new Cancellation();
      early.abort();
      await expect(request(`http://127.0.0.1:${port}/`, { signal: early })).rejects.toMatchObject({
        name: 'AbortError',
      });

      const cancel = new Cancellation();
      const response = await request(`http://127.0.0.1:${port}/`, { signal: cancel });
      const reading = response.body.text();
      cancel.abort(new DOMException('Upstream attempt timed out', 'TimeoutError'));
      await expect(reading).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
