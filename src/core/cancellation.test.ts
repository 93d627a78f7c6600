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

  it('a child aborts with its parent, and alone without aborting the parent', () => {
    const parent = new Cancellation();
    const alone = parent.child();
    alone.abort('deadline');
    expect(alone.aborted).toBe(true);
    expect(parent.aborted).toBe(false);
    const linked = parent.child();
    parent.abort('client gone');
    expect(linked.aborted).toBe(true);
    expect(linked.reason).toBe('client gone');
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

  it('makes an AbortSignal on demand that carries the abort, before or after it is made', () => {
    const early = new Cancellation();
    const signal = early.signal;
    expect(signal.aborted).toBe(false);
    early.abort('stop');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('stop');
    expect(early.signal).toBe(signal);

    const late = new Cancellation();
    late.abort('stopped');
    expect(late.signal.aborted).toBe(true);
    expect(late.signal.reason).toBe('stopped');
  });
});
