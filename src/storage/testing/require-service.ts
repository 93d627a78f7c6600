/**
 * Tests against real services (Redis, PostgreSQL) call this once at module level. Locally a missing
 * service skips the suite with a printed reason; under CI=true it is a failure, so CI can never go
 * green by silently skipping the backends it is meant to prove.
 */
import { Redis } from 'ioredis';
import postgres from 'postgres';

export const TEST_REDIS_URL = process.env.JUNCTION_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_POSTGRES_URL =
  process.env.JUNCTION_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function ciRequiresServices(): boolean {
  const ci = process.env.CI?.toLowerCase();
  return ci === 'true' || ci === '1';
}

/** True when `probe` succeeds in time; false (with a printed reason) or a thrown Error under CI. */
export async function requireService(
  name: string,
  probe: () => Promise<unknown>,
  timeoutMs = 3000,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs}ms`)), timeoutMs);
  });
  try {
    await Promise.race([probe(), timeout]);
    return true;
  } catch (error) {
    const reason = `${name} is not reachable: ${error instanceof Error ? error.message : String(error)}`;
    if (ciRequiresServices()) throw new Error(`${reason} (CI=true requires it)`);
    console.warn(`[skip] ${reason}`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function redisAvailable(url = TEST_REDIS_URL): Promise<boolean> {
  return requireService(`Redis at ${url}`, async () => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  });
}

export function postgresAvailable(url = TEST_POSTGRES_URL): Promise<boolean> {
  return requireService(`PostgreSQL at ${url}`, async () => {
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
}
