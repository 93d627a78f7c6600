import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const options = {
  consecutiveFailures: 3,
  failureRateThreshold: 0.5,
  minRequests: 10,
  windowMs: 10_000,
  cooldownMs: 5_000,
};

describe('CircuitBreaker', () => {
  it('opens after consecutive failures, skips while open, half-opens with exactly one probe', () => {
    const c = clock();
    const breaker = new CircuitBreaker(options, c.now);
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.allowRequest()).toBe(true);
    breaker.recordFailure();
    expect(breaker.snapshot().state).toBe('open');
    expect(breaker.isAvailable()).toBe(false);
    expect(breaker.allowRequest()).toBe(false);
    c.advance(5_000);
    expect(breaker.snapshot().state).toBe('half-open');
    expect(breaker.allowRequest()).toBe(true);
    expect(breaker.allowRequest()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.snapshot().state).toBe('closed');
    expect(breaker.allowRequest()).toBe(true);
  });

  it('re-opens when the half-open probe fails', () => {
    const c = clock();
    const breaker = new CircuitBreaker(options, c.now);
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    c.advance(5_000);
    expect(breaker.allowRequest()).toBe(true);
    breaker.recordFailure();
    expect(breaker.snapshot().state).toBe('open');
    c.advance(4_999);
    expect(breaker.allowRequest()).toBe(false);
  });

  it('a probe handed back (an outcome that says nothing about the target) lets the next request probe', () => {
    const c = clock();
    const breaker = new CircuitBreaker(options, c.now);
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    c.advance(5_000);
    expect(breaker.allowRequest()).toBe(true);
    expect(breaker.allowRequest()).toBe(false);
    breaker.releaseProbe();
    expect(breaker.snapshot().state).toBe('half-open');
    expect(breaker.allowRequest()).toBe(true);
  });

  it('opens on a failure rate over the window even without a long failure run', () => {
    const c = clock();
    const breaker = new CircuitBreaker(options, c.now);
    for (let i = 0; i < 12; i++) {
      if (i % 3 === 0) breaker.recordSuccess();
      else breaker.recordFailure();
      if (i % 3 === 2) c.advance(100);
    }
    expect(breaker.snapshot().state).toBe('open');
  });

  it('forgets failures older than the window', () => {
    const c = clock();
    const breaker = new CircuitBreaker({ ...options, consecutiveFailures: 100 }, c.now);
    for (let i = 0; i < 9; i++) breaker.recordFailure();
    c.advance(11_000);
    breaker.recordFailure();
    breaker.recordSuccess();
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', windowRequests: 2, windowFailures: 1 });
  });
});
