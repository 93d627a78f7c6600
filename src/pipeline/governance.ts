/**
 * Builds everything governance needs from the configuration: the shared stores (memory, or Redis for
 * several nodes), the runtime state (keys and policy the admin API changes), the price table, the
 * response cache, the usage log, the authenticator and the stages in their fixed order (stages.ts).
 * On the memory backend the runtime state and budget spend are kept in `<data_dir>/state.db`, so a
 * single node keeps them across a restart.
 */
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DEFAULT_DATA_DIR } from '../config/config-schema.js';
import { isPostgresUrl } from '../config/governance-config.js';
import type { GatewayConfig } from '../config/types.js';
import type { CounterStore } from '../storage/counter-store.js';
import { MemoryCounterStore } from '../storage/memory/memory-counter-store.js';
import { createRedisClient, redisReady } from '../storage/redis/create-redis-client.js';
import { RedisCounterStore } from '../storage/redis/redis-counter-store.js';
import { type ResilientCounterStore, resilientCounterStore } from '../storage/resilient-counter-store.js';
import { SpendSnapshots } from '../storage/spend-snapshots.js';
import { STATE_FILE } from '../storage/sqlite/open-state-database.js';
import { SqliteSpendStore } from '../storage/sqlite/sqlite-spend-store.js';
import { type Authenticator, createAuthenticator } from './authenticate.js';
import { MemoryResponseCache } from './cache/memory-response-cache.js';
import { RedisResponseCache } from './cache/redis-response-cache.js';
import type { ResponseCache } from './cache/response-cache.js';
import { GovernanceMetrics } from './governance-metrics.js';
import { type CompiledGuardrails, compileGuardrails } from './guardrails/compile-guardrails.js';
import { BudgetGuard } from './limits/budget-guard.js';
import { ConcurrencyLimiter } from './limits/concurrency-limiter.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { PriceTable } from './pricing/price-table.js';
import type { Stage } from './stage.js';
import { governanceStages } from './stages.js';
import { GovernanceState } from './state/governance-state.js';
import { MemoryRuntimeStore } from './state/memory-runtime-store.js';
import { RedisRuntimeStore } from './state/redis-runtime-store.js';
import type { RuntimeStore } from './state/runtime-store.js';
import { SqliteRuntimeStore } from './state/sqlite-runtime-store.js';
import { BatchingUsageLog } from './usage-log/batching-usage-log.js';
import { DeferredUsageSink } from './usage-log/deferred-usage-sink.js';
import { PostgresUsageSink } from './usage-log/postgres-usage-sink.js';
import { SqliteUsageSink } from './usage-log/sqlite-usage-sink.js';
import type { UsageLog } from './usage-log/usage-log.js';
import type { UsageSink } from './usage-log/usage-sink.js';

export interface Governance {
  state: GovernanceState;
  prices: PriceTable;
  budget: BudgetGuard;
  counters: ResilientCounterStore;
  cache?: ResponseCache;
  usageLog?: UsageLog;
  metrics: GovernanceMetrics;
  stages: Stage[];
  authenticate: Authenticator;
  guardrails(): CompiledGuardrails;
  /** Where shared state lives, for /admin/health. */
  backends: { limits: 'memory' | 'redis'; cache?: 'memory' | 'redis'; usage?: 'sqlite' | 'postgres' };
  /** Where admin changes and budget spend are kept across restarts, and how their saving goes. */
  stateStore(): StateStoreHealth;
  /**
   * Waits (bounded) for Redis, the stored runtime state and the usage database, and puts saved budget
   * spend back; logs, never throws, except when the state file's spend cannot be read (serving with
   * every budget reset is what that file is there to prevent).
   */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface StateStoreHealth {
  /** `memory` only for a config built in code without a data_dir: nothing then outlives the process. */
  backend: 'sqlite' | 'redis' | 'memory';
  file?: string;
  /** The memory counters' budget spend, saved to the state file on a timer. */
  budgetSpend?: { savedAt: number | undefined; failing: boolean };
}

export function createGovernance(config: GatewayConfig, logger: Logger, registry: Registry): Governance {
  const log = logger.child({ component: 'governance' });
  const redisClients = new Map<string, Redis>();
  const redisFor = (url: string): Redis => {
    let client = redisClients.get(url);
    if (!client) {
      let failing = false;
      client = createRedisClient(url, {
        onError: (error) => {
          if (failing) return;
          failing = true;
          log.error(
            { err: error },
            'Redis connection error; the gateway keeps serving by its failure policy',
          );
        },
      });
      client.on('ready', () => {
        if (failing) log.info({}, 'Redis connection restored');
        failing = false;
      });
      redisClients.set(url, client);
    }
    return client;
  };

  const limits = config.limits;
  const prefix = limits?.keyPrefix ?? 'junction:';
  const limitsRedis = limits?.backend === 'redis' && limits.url ? redisFor(limits.url) : undefined;
  const memoryCounters = limitsRedis ? undefined : new MemoryCounterStore();
  const innerCounters: CounterStore = limitsRedis
    ? new RedisCounterStore(limitsRedis, { keyPrefix: prefix, ownsClient: false })
    : memoryCounters!;
  const counters = resilientCounterStore(innerCounters, {
    policy: limits?.onRedisFailure ?? 'fail_open',
    logger: log,
  });
  // One node's admin changes and budget spend outlive the process in <data_dir>/state.db (Redis keeps
  // them for several). Only a config built in code without a data_dir (tests) keeps them in memory.
  const stateFile =
    !limitsRedis && config.server.dataDir !== undefined ? join(config.server.dataDir, STATE_FILE) : undefined;
  const runtimeStore: RuntimeStore = limitsRedis
    ? new RedisRuntimeStore(limitsRedis, prefix)
    : stateFile
      ? openStateFile(stateFile, (path) => new SqliteRuntimeStore(path))
      : new MemoryRuntimeStore();
  const spendSnapshots =
    memoryCounters && stateFile
      ? new SpendSnapshots(
          memoryCounters,
          openStateFile(stateFile, (path) => new SqliteSpendStore(path)),
          { intervalMs: limits?.budgetSnapshotIntervalMs ?? 5_000, logger: log },
        )
      : undefined;
  const state = new GovernanceState(config, runtimeStore, log);

  const prices = new PriceTable(config.pricing ?? []);
  const budget = new BudgetGuard(counters, { price: (model, usage) => prices.costByLabel(model, usage) });

  const cacheConfig = config.cache;
  let cache: ResponseCache | undefined;
  if (cacheConfig?.enabled) {
    cache =
      cacheConfig.backend === 'redis' && cacheConfig.url
        ? new RedisResponseCache(redisFor(cacheConfig.url), prefix)
        : new MemoryResponseCache(cacheConfig.maxBytes);
  }

  const usage = openUsage(config, log);
  const metrics = new GovernanceMetrics(
    registry,
    () => usage?.log,
    () => counters.state === 'degraded',
  );

  let compiled = compileGuardrails(state.policy().guardrails);
  state.onChange(() => {
    compiled = compileGuardrails(state.policy().guardrails);
  });

  let cacheErrorLoggedAt = 0;
  const stages = governanceStages({
    aliases: config.models,
    prices,
    budget,
    rateLimiter: new RateLimiter(counters),
    concurrency: new ConcurrencyLimiter(counters),
    algorithm: limits?.algorithm ?? 'sliding_window',
    state,
    guardrails: () => compiled,
    onViolation: (where, rule, context) => {
      metrics.violation(where, rule);
      log.warn(
        { requestId: context.requestId, key: context.identity.keyName, where, rule },
        'guardrail violation',
      );
    },
    onRefused: (error) => metrics.refused(error.code ?? 'limit'),
    ...(cache && cacheConfig
      ? {
          cache: {
            cache,
            ttlMs: cacheConfig.ttlMs,
            perKey: cacheConfig.perKey,
            maxEntryBytes: cacheConfig.maxEntryBytes,
            onResult: (result) => metrics.cacheResult(result),
            onError: (error, operation) => {
              // One line per outage-ish period, not one per request.
              if (Date.now() - cacheErrorLoggedAt < 10_000) return;
              cacheErrorLoggedAt = Date.now();
              log.warn({ err: error, operation }, 'response cache unavailable; serving without it');
            },
          },
        }
      : {}),
  });

  const authenticate = createAuthenticator({
    keys: state,
    ...(config.server.requireAuthExplicit ? { requireAuth: config.server.requireAuth } : {}),
    ...(config.auth?.jwt ? { jwt: config.auth.jwt } : {}),
  });

  return {
    state,
    prices,
    budget,
    counters,
    ...(cache ? { cache } : {}),
    ...(usage ? { usageLog: usage.log } : {}),
    metrics,
    stages,
    authenticate,
    guardrails: () => compiled,
    backends: {
      limits: limitsRedis ? 'redis' : 'memory',
      ...(cacheConfig?.enabled ? { cache: cacheConfig.backend } : {}),
      ...(usage ? { usage: usage.kind } : {}),
    },
    stateStore() {
      if (limitsRedis) return { backend: 'redis' };
      if (!stateFile) return { backend: 'memory' };
      return {
        backend: 'sqlite',
        file: stateFile,
        ...(spendSnapshots ? { budgetSpend: spendSnapshots.status() } : {}),
      };
    },
    async ready() {
      await Promise.all(
        [...redisClients.values()].map((client) =>
          redisReady(client, 3_000).catch((error: unknown) =>
            log.error(
              { err: error },
              'Redis not reachable at start; applying the failure policy until it is',
            ),
          ),
        ),
      );
      await state.start();
      if (spendSnapshots) {
        // Before the first request: a budget must not look unspent for the first few requests.
        const budgets = spendSnapshots.restore();
        spendSnapshots.start();
        log.info({ stateFile, budgets }, 'governance state and budget spend loaded from the state file');
      }
      if (usage) {
        await usage.sink.ready().catch((error: unknown) => {
          log.error(
            { err: error },
            'usage log database not reachable; usage records will be counted as dropped',
          );
        });
      }
    },
    async close() {
      state.stop();
      // After every request has ended (shutdown drains first), so the last write holds all their spend.
      spendSnapshots?.close();
      await runtimeStore.close();
      await usage?.log.close().catch(() => undefined);
      await cache?.close();
      await counters.close();
      await Promise.all([...redisClients.values()].map((client) => client.quit().catch(() => undefined)));
    },
  };
}

function openUsage(
  config: GatewayConfig,
  log: Logger,
): { log: UsageLog; sink: DeferredUsageSink; kind: 'sqlite' | 'postgres' } | undefined {
  const usage = config.usage;
  if (usage && !usage.enabled) return undefined;
  const url = usage?.url;
  const postgres = url !== undefined && isPostgresUrl(url);
  const opening: Promise<UsageSink> = postgres
    ? PostgresUsageSink.open({ url, ...(usage?.schema ? { schema: usage.schema } : {}) })
    : openSqlite(sqlitePath(url, config.server.dataDir ?? DEFAULT_DATA_DIR));
  const sink = new DeferredUsageSink(opening);
  const batching = new BatchingUsageLog(sink, {
    maxQueue: usage?.queueSize ?? 10_000,
    batchSize: usage?.batch ?? 500,
    flushIntervalMs: usage?.flushIntervalMs ?? 1_000,
    ...(usage?.retentionDays === undefined ? {} : { retentionDays: usage.retentionDays }),
    logger: log,
  });
  if (usage?.retentionDays !== undefined)
    void opening.then(
      () => batching.applyRetention(),
      () => undefined,
    );
  return { log: batching, sink, kind: postgres ? 'postgres' : 'sqlite' };
}

/** Opens one of the state file's stores, saying which file (and which setting) when it cannot. */
function openStateFile<T>(path: string, open: (path: string) => T): T {
  try {
    return open(path);
  } catch (error) {
    throw new Error(
      `cannot open the governance state file ${path} (under [server] data_dir): ${(error as Error).message}`,
    );
  }
}

/** `url` may be a SQLite file path (or sqlite:// / file: URL); default <data_dir>/usage.db. */
function sqlitePath(url: string | undefined, dataDir: string): string {
  if (url === undefined) return join(dataDir, 'usage.db');
  const path = url.replace(/^(sqlite|file):(\/\/)?/, '');
  return path;
}

async function openSqlite(path: string): Promise<UsageSink> {
  return new SqliteUsageSink(path);
}
