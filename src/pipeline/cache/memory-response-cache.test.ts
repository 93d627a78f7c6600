import { describe, expect, it } from 'vitest';
import { openAIChatDialect } from '../../dialects/openai-chat/openai-chat-dialect.js';
import { cacheKey } from './cache-key.js';
import { MemoryResponseCache } from './memory-response-cache.js';
import type { CacheEntry } from './response-cache.js';

const entry = (text: string, expiresAt = Number.MAX_SAFE_INTEGER): CacheEntry => ({
  events: [{ type: 'text-delta', text }],
  model: 'm',
  createdAt: 0,
  expiresAt,
});

describe('MemoryResponseCache', () => {
  it('evicts the least recently used entries past its byte bound', async () => {
    const one = JSON.stringify(entry('a'.repeat(100))).length;
    const cache = new MemoryResponseCache(one * 2 + 10);
    await cache.set('a', entry('a'.repeat(100)));
    await cache.set('b', entry('b'.repeat(100)));
    await cache.get('a'); // a is now more recent than b
    await cache.set('c', entry('c'.repeat(100)));
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    expect(await cache.get('c')).toBeDefined();
    expect(cache.size.entries).toBe(2);
  });

  it('forgets expired entries and lists live ones', async () => {
    const clock = { now: 1000 };
    const cache = new MemoryResponseCache(1_000_000, () => clock.now);
    await cache.set('old', entry('x', 1500));
    await cache.set('new', entry('y', 5000));
    clock.now = 2000;
    expect((await cache.list(10)).map((e) => e.key)).toEqual(['new']);
    expect(await cache.get('old')).toBeUndefined();
    expect(await cache.clear()).toBe(1);
  });
});

describe('cacheKey', () => {
  const decode = (body: Record<string, unknown>) => openAIChatDialect.decodeRequest(body).canonical;
  const base = { model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 0 };

  it('ignores stream, user and field order; sees model, messages and parameters', () => {
    const key = cacheKey(decode(base));
    expect(
      cacheKey(decode({ temperature: 0, messages: base.messages, model: 'm', stream: true, user: 'u' })),
    ).toBe(key);
    expect(cacheKey(decode({ ...base, temperature: 1 }))).not.toBe(key);
    expect(cacheKey(decode({ ...base, model: 'n' }))).not.toBe(key);
    expect(cacheKey(decode({ ...base, messages: [{ role: 'user', content: 'hi!' }] }))).not.toBe(key);
    expect(cacheKey(decode(base), 'team-a')).not.toBe(key);
    // Penalties shape the answer; at OpenAI's default (0) they ask for nothing.
    expect(cacheKey(decode({ ...base, presence_penalty: 1 }))).not.toBe(key);
    expect(cacheKey(decode({ ...base, frequency_penalty: -1 }))).not.toBe(key);
    expect(cacheKey(decode({ ...base, presence_penalty: 0, frequency_penalty: 0 }))).toBe(key);
  });
});
