/**
 * The failure policy against a real socket: the store first points at a closed port, then the port
 * starts forwarding to the real Redis and the store must recover on its own, without a restart.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { type CounterStoreState, resilientCounterStore } from '../resilient-counter-store.js';
import { redisAvailable, TEST_REDIS_URL } from '../testing/require-service.js';
import { createRedisClient } from './create-redis-client.js';
import { RedisCounterStore } from './redis-counter-store.js';

const available = await redisAvailable();
const target = new URL(TEST_REDIS_URL);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A TCP forwarder to the real Redis that can be switched on and off. */
function forwarder(port: number) {
  let server: Server | undefined;
  let frozen = false;
  const sockets = new Set<Socket>();
  return {
    /** Swallows client bytes: Redis looks hung rather than down, so only the command timeout helps. */
    freeze(value: boolean): void {
      frozen = value;
    },
    async start(): Promise<void> {
      server = createServer((client) => {
        const upstream = tcpConnect(Number(target.port || 6379), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => {});
          socket.on('close', () => sockets.delete(socket));
        }
        client.on('data', (chunk) => {
          if (!frozen) upstream.write(chunk);
        });
        upstream.pipe(client);
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    },
    async stop(): Promise<void> {
      for (const socket of sockets) socket.destroy();
      if (server) await new Promise((resolve) => server!.close(resolve));
      server = undefined;
    },
  };
}

async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(!available)('resilient Redis counter store', () => {
  const prefix = `junction-test:${randomUUID()}:`;
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
    const direct = createRedisClient(TEST_REDIS_URL);
    await until(async () => direct.status === 'ready');
    const keys = await direct.keys(`${prefix}*`);
    if (keys.length > 0) await direct.del(...keys);
    expect(await direct.keys(`${prefix}*`)).toEqual([]);
    await direct.quit();
  });

  for (const policy of ['fail_open', 'fail_closed'] as const) {
    it(`${policy}: closed port, then real Redis, then an outage, then back`, async () => {
      const port = await freePort();
      const proxy = forwarder(port);
      const redis = createRedisClient(`redis://127.0.0.1:${port}`, { maxReconnectDelayMs: 100 });
      const states: CounterStoreState[] = [];
      const logged: string[] = [];
      const store = resilientCounterStore(new RedisCounterStore(redis, { keyPrefix: prefix }), {
        policy,
        probeIntervalMs: 50,
        logger: { error: (_d, message) => logged.push(message), info: (_d, message) => logged.push(message) },
        onStateChange: (state) => states.push(state),
      });
      cleanup.push(
        () => store.close(),
        () => proxy.stop(),
      );
      const key = `rpm-${policy}`;
      const hit = () => store.hit(key, 60_000, 3, 1, Date.now());

      if (policy === 'fail_open') {
        expect(await hit()).toMatchObject({ allowed: true, degraded: true });
      } else {
        await expect(hit()).rejects.toMatchObject({ status: 503, code: 'limits_unavailable' });
      }
      expect(store.state).toBe('degraded');

      await proxy.start();
      await until(async () => {
        await hit().catch(() => undefined);
        return store.state === 'healthy';
      });
      // Counting is real again: the limit of 3 closes.
      let allowed = 0;
      for (let i = 0; i < 5; i++) if ((await hit()).allowed) allowed += 1;
      expect(allowed).toBeLessThanOrEqual(3);
      expect((await hit()).allowed).toBe(false);

      await proxy.stop();
      await until(async () => {
        await hit().catch(() => undefined);
        return store.state === 'degraded';
      });
      await proxy.start();
      await until(async () => {
        await hit().catch(() => undefined);
        return store.state === 'healthy';
      });
      expect(states).toEqual(['degraded', 'healthy', 'degraded', 'healthy']);
      expect(logged).toHaveLength(4);
    });
  }

  it('fail_open: a hung Redis costs one command timeout per probe, not per request', async () => {
    const port = await freePort();
    const proxy = forwarder(port);
    await proxy.start();
    const redis = createRedisClient(`redis://127.0.0.1:${port}`, { commandTimeoutMs: 300 });
    const store = resilientCounterStore(new RedisCounterStore(redis, { keyPrefix: prefix }), {
      policy: 'fail_open',
      probeIntervalMs: 10_000,
    });
    cleanup.push(
      () => store.close(),
      () => proxy.stop(),
    );
    await until(async () => redis.status === 'ready');
    expect(await store.hit('hung', 60_000, 5, 1, Date.now())).toMatchObject({ allowed: true, remaining: 4 });
    proxy.freeze(true);
    const started = Date.now();
    expect(await store.hit('hung', 60_000, 5, 1, Date.now())).toMatchObject({ degraded: true });
    const firstMs = Date.now() - started;
    expect(firstMs).toBeGreaterThanOrEqual(250);
    expect(firstMs).toBeLessThan(2000);
    const next = Date.now();
    for (let i = 0; i < 20; i++) await store.hit('hung', 60_000, 5, 1, Date.now());
    expect(Date.now() - next).toBeLessThan(100);
  });
});
