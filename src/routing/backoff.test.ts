import { describe, expect, it } from 'vitest';
import { Cancellation } from '../core/cancellation.js';
import { retryDelayMs, sleep } from './backoff.js';

describe('retryDelayMs', () => {
  const options = { baseMs: 100, maxMs: 1_000, maxRetryAfterMs: 10_000 };

  it('grows exponentially with full jitter under a cap', () => {
    expect(retryDelayMs(1, undefined, options, () => 0.999)).toBe(99);
    expect(retryDelayMs(2, undefined, options, () => 0.999)).toBe(199);
    expect(retryDelayMs(4, undefined, options, () => 0.999)).toBe(799);
    expect(retryDelayMs(9, undefined, options, () => 0.999)).toBe(999);
    expect(retryDelayMs(3, undefined, options, () => 0)).toBe(0);
  });

  it('honours Retry-After exactly, and refuses to wait past the cap', () => {
    expect(retryDelayMs(1, 3_000, options)).toBe(3_000);
    expect(retryDelayMs(1, 60_000, options)).toBeUndefined();
  });
});

describe('sleep', () => {
  it('rejects as soon as the request is cancelled', async () => {
    const cancel = new Cancellation();
    const started = Date.now();
    const pending = sleep(10_000, cancel);
    cancel.abort(new Error('gone'));
    await expect(pending).rejects.toThrow('gone');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
