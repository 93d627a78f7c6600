import { describe, expect, it } from 'vitest';
import { KeyPool } from './key-pool.js';

describe('KeyPool', () => {
  it('rotates keys and lets a throttled key cool down alone', () => {
    let now = 0;
    const pool = new KeyPool(
      ['k1', 'k2', 'k3'],
      { rateLimitCooldownMs: 1_000, authCooldownMs: 60_000 },
      () => now,
    );
    expect([pool.next(), pool.next(), pool.next(), pool.next()]).toEqual(['k1', 'k2', 'k3', 'k1']);
    pool.report('k2', 429, 5_000);
    expect([pool.next(), pool.next(), pool.next()]).toEqual(['k3', 'k1', 'k3']);
    expect(pool.available()).toBe(2);
    now = 5_000;
    expect([pool.next(), pool.next()]).toEqual(['k1', 'k2']);
  });

  it('benches a rejected key for the auth cooldown and falls back to the soonest when all cool', () => {
    let now = 0;
    const pool = new KeyPool(['k1', 'k2'], { rateLimitCooldownMs: 1_000, authCooldownMs: 60_000 }, () => now);
    pool.report('k1', 401);
    pool.report('k2', 429);
    expect(pool.next()).toBe('k2');
    now = 1_000;
    expect(pool.next()).toBe('k2');
    expect(pool.available()).toBe(1);
  });
});
